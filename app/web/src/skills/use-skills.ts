import { useMutation, useQuery, useQueryClient } from '@tanstack/vue-query';
import { api, call } from '../api/client';
import type { components } from '../api/schema';

/** A skill as the API lists it. */
export type Skill = components['schemas']['Skill'];

/**
 * Every skill, and a mutation that turns one on or off.
 *
 * @example
 * ```ts
 * const { skills, setEnabled } = useSkills();
 * setEnabled.mutate({ name: 'high-cpu', enabled: false });
 * ```
 */
export function useSkills() {
  const queryClient = useQueryClient();
  const skills = useQuery({
    queryKey: ['skills'],
    queryFn: async () => (await call(api.GET('/api/skills'))).data,
  });
  const setEnabled = useMutation({
    mutationFn: ({ name, enabled }: { name: string; enabled: boolean }) =>
      call(api.PUT('/api/skills/{name}', { params: { path: { name } }, body: { enabled } })),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['skills'] }),
  });
  const sync = useMutation({
    mutationFn: () => call(api.POST('/api/skills/sync')),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['skills'] }),
  });
  return { skills, setEnabled, sync };
}
