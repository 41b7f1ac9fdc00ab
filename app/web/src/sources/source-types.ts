import type { components, paths } from '../api/schema';

/** An alert source as the API shows it (its webhook secret is never returned). */
export type AlertSource = components['schemas']['AlertSource'];

/** A kind of alert source: its settings schema, how senders authenticate, a sample payload. */
export type AlertSourceType =
  paths['/api/alert-source-types']['get']['responses'][200]['content']['application/json']['data'][number];

/** One webhook request a source received, accepted or refused. */
export type Delivery =
  paths['/api/alert-sources/{uuid}/deliveries']['get']['responses'][200]['content']['application/json']['data'][number];

/** What `POST`/`PUT /api/alert-sources` take. */
export type AlertSourceWrite = NonNullable<
  paths['/api/alert-sources']['post']['requestBody']
>['content']['application/json'];

/**
 * The alert fields a source may map from a path in the payload (`field_mappings`); the API's
 * list (app/src/ingest/field-mappings.ts), pinned by a test.
 */
export const mappableFields = [
  'name',
  'severity',
  'status',
  'host',
  'service',
  'summary',
  'description',
  'fingerprint',
  'runbook_url',
  'started_at',
] as const;
