import { api, call } from '../api/client';
import { skillFilePath, type SkillFileContent } from './skill-text';

type FileRoute = '/api/skills/{name}/files/{*}';

/** The path parameters openapi-fetch's types ask for; the ready-made path has no placeholders. */
const params = (name: string, path: string) => ({ path: { name, '*': path } });

/**
 * Reads one skill file (`GET /api/skills/{name}/files/{path}`).
 *
 * @example
 * ```ts
 * const file = await readSkillFile('disk-full', 'scripts/check.sh');
 * ```
 */
export async function readSkillFile(name: string, path: string): Promise<SkillFileContent> {
  return call(api.GET(skillFilePath(name, path) as FileRoute, { params: params(name, path) }));
}

/** Writes one skill file, as text or as base64 bytes. */
export async function writeSkillFile(
  name: string,
  path: string,
  file: SkillFileContent,
): Promise<void> {
  await call(
    api.PUT(skillFilePath(name, path) as FileRoute, {
      params: params(name, path),
      body: { content: file.content, encoding: file.encoding },
    }),
  );
}

/** Deletes one skill file. */
export async function deleteSkillFile(name: string, path: string): Promise<void> {
  await call(api.DELETE(skillFilePath(name, path) as FileRoute, { params: params(name, path) }));
}
