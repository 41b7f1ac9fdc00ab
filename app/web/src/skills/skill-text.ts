/**
 * What the skill editor reads from the SKILL.md text in the browser before the API has checked
 * it: only enough to name the skill; the API's validator (`POST /api/skills/validate`) is the
 * judge of everything else.
 */

/** The name of a new skill's folder: what the Agent Skills specification allows. */
const NAME_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/**
 * The `name:` of a SKILL.md's frontmatter, or undefined when there is none to read.
 *
 * @example
 * ```ts
 * frontmatterName('---\nname: disk-full\ndescription: x\n---\n'); // 'disk-full'
 * ```
 */
export function frontmatterName(text: string): string | undefined {
  const match = /^---\r?\n([\s\S]*?)\r?\n---(\r?\n|$)/.exec(text);
  if (match === null) return undefined;
  const line = /^name:[ \t]*(.*?)[ \t]*$/m.exec(match[1] ?? '');
  if (line === null) return undefined;
  const value = (line[1] ?? '').replace(/^(["'])(.*)\1$/, '$2').trim();
  return value === '' ? undefined : value;
}

/** True when `name` can be a skill's folder name (1–64 of a-z, 0-9 and single inner dashes). */
export function isSkillName(name: string): boolean {
  return name.length <= 64 && NAME_PATTERN.test(name);
}

/**
 * The SKILL.md a new skill starts from.
 *
 * @example
 * ```ts
 * newSkillText(); // '---\nname: my-skill\n…'
 * ```
 */
export function newSkillText(): string {
  return [
    '---',
    'name: my-skill',
    'description: What this skill investigates and when to use it. Use when an alert about … fires.',
    'metadata:',
    "  akmatori.alerts: '*example*'",
    '---',
    '',
    '# My skill',
    '',
    '1. Look before you change anything.',
    '',
  ].join('\n');
}

/** The folders a skill's files live in. */
export const skillFileFolders = ['scripts', 'references', 'assets'] as const;

/**
 * Why `path` cannot be a skill file, or undefined when it can: it must sit in `scripts/`,
 * `references/` or `assets/`, without `..`, hidden parts or empty parts. The API checks again.
 *
 * @example
 * ```ts
 * skillFileProblem('scripts/check.sh'); // undefined
 * skillFileProblem('../etc/passwd'); // 'Put the file in scripts/, references/ or assets/.'
 * ```
 */
export function skillFileProblem(path: string): string | undefined {
  const parts = path.split('/');
  if (parts.length < 2 || !(skillFileFolders as readonly string[]).includes(parts[0] ?? ''))
    return 'Put the file in scripts/, references/ or assets/.';
  if (parts.slice(1).some((part) => part === '' || part === '.' || part === '..'))
    return 'Leave out empty parts, "." and "..".';
  if (parts.some((part) => part.startsWith('.'))) return 'Hidden files are not allowed.';
  return undefined;
}

/** A skill file as the API sends it: text, or base64 for bytes that are not UTF-8 text. */
export interface SkillFileContent {
  readonly content: string;
  readonly encoding: 'utf8' | 'base64';
}

/**
 * What the file viewer shows: the text itself, or a note for binary files.
 *
 * @example
 * ```ts
 * fileViewText({ content: 'echo hi', encoding: 'utf8' }); // 'echo hi'
 * ```
 */
export function fileViewText(file: SkillFileContent): string {
  if (file.encoding === 'utf8') return file.content;
  const bytes = Math.floor((file.content.replace(/=+$/, '').length * 3) / 4);
  return `(binary file, ${bytes} bytes: not shown)`;
}

/**
 * Bytes as base64, the way `PUT /api/skills/{name}/files/{path}` takes files that are not text.
 *
 * @example
 * ```ts
 * bytesToBase64(new Uint8Array([104, 105])); // 'aGk='
 * ```
 */
export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk)
    binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  return btoa(binary);
}

/**
 * The API path of one skill file, each segment encoded. openapi-fetch cannot fill the route's
 * wildcard (`{*}`), so the files calls pass this ready-made path.
 *
 * @example
 * ```ts
 * skillFilePath('disk-full', 'scripts/check disk.sh');
 * // '/api/skills/disk-full/files/scripts/check%20disk.sh'
 * ```
 */
export function skillFilePath(name: string, path: string): string {
  return `/api/skills/${encodeURIComponent(name)}/files/${path
    .split('/')
    .map(encodeURIComponent)
    .join('/')}`;
}

/**
 * The Markdown body of a SKILL.md: what follows its frontmatter (all of it when there is none).
 *
 * @example
 * ```ts
 * skillBody('---\nname: a\n---\n\n# Steps\n'); // '\n# Steps\n'
 * ```
 */
export function skillBody(text: string): string {
  const match = /^---\r?\n[\s\S]*?\r?\n---(\r?\n|$)/.exec(text);
  return match === null ? text : text.slice(match[0].length);
}
