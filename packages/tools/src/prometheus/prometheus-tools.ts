import { defineToolProvider, type ToolProvider } from '@akmatori/core';
import { prometheusCredentialSchema, type PrometheusCredentials } from './http-api-credentials.js';
import {
  findSeriesTool,
  getLabelNamesTool,
  getLabelValuesTool,
  getMetricMetadataTool,
} from './prometheus-metadata-tools.js';
import { queryRangeTool, queryTool } from './prometheus-query-tools.js';
import {
  getAlertsTool,
  getRulesTool,
  getStatusTool,
  getTargetsTool,
} from './prometheus-status-tools.js';

/**
 * The `prometheus` tool type: read-only calls to the Prometheus HTTP API v1 (`query`,
 * `query_range`, `get_alerts`, `get_targets`, `get_rules`, `find_series`, `get_label_names`,
 * `get_label_values`, `get_metric_metadata`, `get_status`), with a bearer token, basic auth or
 * a client certificate.
 *
 * @example
 * ```ts
 * definePlugin({ name: 'my-tools', tools: [prometheusTools] });
 * ```
 */
export const prometheusTools: ToolProvider<PrometheusCredentials> = defineToolProvider({
  id: 'prometheus',
  displayName: 'Prometheus',
  credentialSchema: prometheusCredentialSchema,
  tools: [
    queryTool,
    queryRangeTool,
    getAlertsTool,
    getTargetsTool,
    getRulesTool,
    findSeriesTool,
    getLabelNamesTool,
    getLabelValuesTool,
    getMetricMetadataTool,
    getStatusTool,
  ],
});
