import { useMutation, useQuery, useQueryClient } from '@tanstack/vue-query';
import { api, call } from '../api/client';
import type { components } from '../api/schema';

/** A context file as the API lists it. */
export type ContextFile = components['schemas']['ContextFile'];

/**
 * The context files, and the mutations that upload and delete them.
 *
 * @example
 * ```ts
 * const { files, upload } = useContextFiles();
 * upload.mutate(file);
 * ```
 */
export function useContextFiles() {
  const queryClient = useQueryClient();
  const refresh = (): Promise<void> =>
    queryClient.invalidateQueries({ queryKey: ['context-files'] });
  const files = useQuery({
    queryKey: ['context-files'],
    queryFn: async () => (await call(api.GET('/api/context-files'))).data,
  });
  const upload = useMutation({
    mutationFn: (file: File) => {
      const form = new FormData();
      form.append('file', file, file.name);
      // openapi-fetch sends FormData as it is; the browser sets the multipart boundary.
      return call(
        api.POST('/api/context-files', {
          body: form as unknown as { file: string },
          bodySerializer: (body) => body as unknown as FormData,
        }),
      );
    },
    onSettled: refresh,
  });
  const remove = useMutation({
    mutationFn: (id: string) =>
      call(api.DELETE('/api/context-files/{id}', { params: { path: { id } } })),
    onSettled: refresh,
  });
  return { files, upload, remove };
}

/**
 * A context file's bytes (the download needs the session's bearer token, so it cannot be a
 * plain link).
 *
 * @example
 * ```ts
 * const blob = await contextFileBlob(file.id);
 * ```
 */
export async function contextFileBlob(id: string): Promise<Blob> {
  return call(
    api.GET('/api/context-files/{id}/content', {
      params: { path: { id } },
      parseAs: 'blob',
    }),
  ) as Promise<Blob>;
}
