import { defineErrorCatalog } from '@akmatori/core';

/**
 * Every error `@akmatori/host` raises, with its stable code and HTTP status. The codes were
 * `@akmatori/core`'s before storage, secrets and configuration moved here, and keep their
 * names: add new ones, never change or reuse old ones. Invalid configuration is reported
 * with core's `AKM_CONFIG_INVALID`, which plugins' own settings share.
 */
export const HostErrors = defineErrorCatalog({
  AKM_CONFIG_FILE_UNREADABLE: {
    status: 500,
    message: (p: { path: string; reason: string }) =>
      `Cannot read config file ${p.path}: ${p.reason}`,
  },
  AKM_PLUGIN_NOT_FOUND: {
    status: 500,
    message: (p: { specifier: string; reason: string }) =>
      `Cannot load plugin package "${p.specifier}": ${p.reason}`,
  },
  AKM_PLUGIN_BAD_EXPORT: {
    status: 500,
    message: (p: { specifier: string }) =>
      `Package "${p.specifier}" does not export an Akmatori plugin (expected a default export made with definePlugin, or a factory returning one)`,
  },
  AKM_SECRET_KEY_INVALID: {
    status: 500,
    message: (p: { source: string; reason: string }) => `Secret key from ${p.source}: ${p.reason}`,
  },
  AKM_SECRET_KEY_FILE_EXPOSED: {
    status: 500,
    message: (p: { path: string; mode: string; chmod: string }) =>
      `Secret key file ${p.path} has mode ${p.mode}, open to group or others, and it decrypts every stored credential. Refusing to start; run: ${p.chmod}`,
  },
  AKM_SECRET_TAMPERED: {
    status: 500,
    message: () =>
      'Encrypted value failed authentication: it was altered or sealed for another use',
  },
  AKM_SECRET_UNKNOWN_KEY: {
    status: 500,
    message: (p: { keyId: string }) =>
      `Encrypted value was sealed with key "${p.keyId}", which is not configured (set AKMATORI_SECRET_KEY or AKMATORI_SECRET_KEY_PREVIOUS)`,
  },
  AKM_SECRET_MALFORMED: {
    status: 500,
    message: () => 'Encrypted value is not in the sealed-secret format',
  },
  AKM_DATA_DIR_LOCKED: {
    status: 500,
    message: (p: { path: string; pid: number }) =>
      `The embedded database in ${p.path} is in use by another Akmatori process (pid ${p.pid})`,
  },
  AKM_DATABASE_UNAVAILABLE: {
    status: 503,
    message: (p: { reason: string }) => `Database unavailable: ${p.reason}`,
  },
  AKM_INCIDENT_TRANSITION_INVALID: {
    status: 500,
    message: (p: { from: string[]; to: string }) =>
      `The incident lifecycle does not allow ${p.from.join(', ')} → ${p.to}`,
  },
  AKM_TEST_HOST_NO_APP: {
    status: 500,
    message: () =>
      'This test host was created without an app: pass `app: createApp` (from the akmatori package) to inject HTTP requests',
  },
});
