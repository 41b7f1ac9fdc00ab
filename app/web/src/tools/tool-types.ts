import type { components, paths } from '../api/schema';

/** A tool instance as the API shows it: stored secrets read `{"set": true}`. */
export type ToolInstance = components['schemas']['ToolInstance'];

/** A tool type: its credential schema and the tools it offers. */
export type ToolType =
  paths['/api/tool-types']['get']['responses'][200]['content']['application/json']['data'][number];

/** What `POST /api/tools/{id}/test` answered. */
export type ConnectivityReport =
  paths['/api/tools/{id}/test']['post']['responses'][200]['content']['application/json'];

/** Settings as `POST`/`PUT /api/tools` take them (any object; checked by the API). */
export type ToolSettings = NonNullable<
  paths['/api/tools']['post']['requestBody']
>['content']['application/json']['settings'];
