import type { Logger } from '../logging/logger.js';
import type { IncidentEvent } from './incident.js';
import type { ObjectSchema, SchemaValue } from './schema.js';

/** What a notifier gets besides the event. */
export interface NotifierContext<Config> {
  /** The notifier's validated configuration. */
  readonly config: Config;
  /** A logger scoped to this notifier. */
  readonly log: Logger;
}

/**
 * Tells people about incidents (Slack, e-mail, a chat room, a file).
 *
 * @example
 * ```ts
 * const audit = defineNotifier({
 *   id: 'audit-log',
 *   displayName: 'Audit log',
 *   configSchema: emptyObjectSchema,
 *   onIncidentEvent: async (event, { log }) => log.info({ event: event.type }, 'incident event'),
 * });
 * ```
 */
export interface Notifier<Config = Record<string, unknown>> {
  /** Unique notifier name. */
  readonly id: string;
  /** Name shown to operators. */
  readonly displayName: string;
  /** Schema of the notifier's configuration. */
  readonly configSchema: ObjectSchema;
  /** Called for every incident event. A thrown error is logged and retried by the host. */
  onIncidentEvent(event: IncidentEvent, context: NotifierContext<Config>): Promise<void>;
}

/**
 * Declares a notifier. Returns it unchanged (frozen); the host validates it on registration.
 * The config type `onIncidentEvent` gets is read from `configSchema` ({@link SchemaValue}).
 *
 * @example
 * ```ts
 * const fileNotifier = defineNotifier({
 *   id: 'file',
 *   displayName: 'File',
 *   configSchema: {
 *     type: 'object',
 *     required: ['file'],
 *     properties: { file: { type: 'string', description: 'File to append events to.' } },
 *   },
 *   onIncidentEvent: async (event, { config }) => appendFile(config.file, JSON.stringify(event)),
 * });
 * ```
 */
export function defineNotifier<const Schema extends ObjectSchema>(
  notifier: Notifier<SchemaValue<Schema>> & { readonly configSchema: Schema },
): Notifier<SchemaValue<Schema>>;
/**
 * Declares a notifier whose config type is written by hand.
 *
 * @deprecated Let the type come from `configSchema` (call without a type argument); a
 * hand-written config type is checked against nothing.
 */
export function defineNotifier<Config>(notifier: Notifier<Config>): Notifier<Config>;
export function defineNotifier<Config>(notifier: Notifier<Config>): Notifier<Config> {
  return Object.freeze(notifier);
}
