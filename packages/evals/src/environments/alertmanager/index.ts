export { alertmanagerEnvironment } from './alertmanager-kind.js';
export { ALERTMANAGER_BINARY } from './alertmanager-process.js';
export {
  alertmanagerSpecSchema,
  type AlertmanagerSpec,
  type StoryAlert,
  type StorySilence,
} from './alertmanager-spec.js';
