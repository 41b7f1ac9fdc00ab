import { defineErrorCatalog } from './akmatori-error.js';

/**
 * Every error `@akmatori/core` raises, with its stable code and HTTP status.
 * Codes are part of the public API: add new ones, never change or reuse old ones.
 */
export const CoreErrors = defineErrorCatalog({
  AKM_CONFIG_INVALID: {
    status: 500,
    message: (p: { problems: string[] }) =>
      `Invalid configuration:\n  - ${p.problems.join('\n  - ')}`,
  },
  AKM_PLUGIN_INVALID: {
    status: 500,
    message: (p: { plugin: string; problems: string[] }) =>
      `Plugin "${p.plugin}" is invalid: ${p.problems.join('; ')}`,
  },
  AKM_PLUGIN_DUPLICATE_ID: {
    status: 500,
    message: (p: { kind: string; id: string; plugin: string; existing: string }) =>
      `Plugin "${p.plugin}" registers ${p.kind} "${p.id}", which plugin "${p.existing}" already registered`,
  },
  AKM_PLUGIN_DUPLICATE_NAME: {
    status: 500,
    message: (p: { plugin: string }) => `Plugin "${p.plugin}" is registered twice`,
  },
  AKM_PLUGIN_CORE_VERSION: {
    status: 500,
    message: (p: { plugin: string; range: string; version: string }) =>
      `Plugin "${p.plugin}" requires @akmatori/core ${p.range}, but this is ${p.version}`,
  },
  AKM_PLUGIN_INVALID_SCHEMA: {
    status: 500,
    message: (p: { plugin: string; kind: string; id: string; schema: string; reason: string }) =>
      `Plugin "${p.plugin}": ${p.kind} "${p.id}" has an invalid ${p.schema}: ${p.reason}`,
  },
  AKM_PAYLOAD_INVALID: {
    status: 400,
    message: (p: { reason: string }) => `Cannot read the alert payload: ${p.reason}`,
  },
});
