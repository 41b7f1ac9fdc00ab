import { useQuery } from '@tanstack/vue-query';
import { api, call } from '../api/client';
import type { components } from '../api/schema';

/** A configured tool instance (an SSH fleet, a Zabbix server…). */
export type ToolInstance = components['schemas']['ToolInstance'];

/**
 * The tool instances, for attaching them to skills and naming them in the skills list.
 *
 * @example
 * ```ts
 * const tools = useToolInstances();
 * ```
 */
export function useToolInstances(): ReturnType<typeof useQuery<ToolInstance[]>> {
  return useQuery({
    queryKey: ['tools'],
    queryFn: async () => (await call(api.GET('/api/tools'))).data,
  });
}
