/**
 * An example Akmatori plugin: every incident event is appended, as one JSON object per line,
 * to a file. Useful as an audit trail and as a template for your own notifier.
 */
import { appendFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import {
  defineNotifier,
  definePlugin,
  defineSchema,
  type AkmatoriPlugin,
  type Notifier,
  type SchemaValue,
} from '@akmatori/core';

/** Settings of the JSONL notifier; the type `onIncidentEvent` gets is read from it. */
export const jsonlNotifierConfigSchema = defineSchema({
  type: 'object',
  required: ['file'],
  additionalProperties: false,
  properties: {
    file: {
      type: 'string',
      minLength: 1,
      description: 'Path of the file events are appended to.',
    },
  },
});

/** Configuration of the JSONL notifier: `{ file: string }`, as its schema says. */
export type JsonlNotifierConfig = SchemaValue<typeof jsonlNotifierConfigSchema>;

/** The notifier: appends `{at, type, incident, ...}` per event. */
export const jsonlNotifier: Notifier<JsonlNotifierConfig> = defineNotifier({
  id: 'jsonl-file',
  displayName: 'JSON Lines file',
  configSchema: jsonlNotifierConfigSchema,
  async onIncidentEvent(event, { config, log }) {
    await mkdir(path.dirname(config.file), { recursive: true });
    await appendFile(
      config.file,
      `${JSON.stringify({ at: new Date().toISOString(), ...event })}\n`,
    );
    log.debug({ type: event.type, uuid: event.incident.uuid }, 'incident event written');
  },
});

/**
 * The plugin. Load it by package name from Akmatori's config:
 * `{"plugins": ["@akmatori-examples/jsonl-notifier"]}`.
 */
export default function jsonlNotifierPlugin(): AkmatoriPlugin {
  return definePlugin({
    name: '@akmatori-examples/jsonl-notifier',
    version: '0.1.0',
    coreVersion: '^0.1.0',
    notifiers: [jsonlNotifier],
  });
}
