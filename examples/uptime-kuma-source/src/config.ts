/**
 * Settings of one Uptime Kuma alert source: the schema is the one source of truth, the type is
 * read from it.
 */
import { defineSchema, type SchemaValue } from '@akmatori/core';

/** The `configSchema` of the Uptime Kuma source (all settings optional). */
export const uptimeKumaConfigSchema = defineSchema({
  type: 'object',
  additionalProperties: false,
  properties: {
    downSeverity: {
      type: 'string',
      enum: ['critical', 'high', 'warning', 'info'],
      description: 'Severity of a monitor that is down and has no severity tag (default critical).',
    },
    severityTag: {
      type: 'string',
      minLength: 1,
      description:
        'Name of the monitor tag whose value sets the severity, e.g. severity=high (default "severity").',
    },
    kumaUrl: {
      type: 'string',
      format: 'uri',
      description: "Uptime Kuma's address, for links from an alert to its monitor.",
    },
  },
});

/** `{downSeverity?, severityTag?, kumaUrl?}`, as the schema says. */
export type UptimeKumaConfig = SchemaValue<typeof uptimeKumaConfigSchema>;
