export { prometheusEnvironment, PROMETHEUS_BINARY } from './prometheus-kind.js';
export {
  prometheusSpecSchema,
  type PrometheusSpec,
  type StoryAlertingRule,
  type StoryMetric,
  type StoryTarget,
} from './prometheus-spec.js';
