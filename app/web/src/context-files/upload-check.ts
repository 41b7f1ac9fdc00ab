import { formatBytes } from '../format/bytes';

/** The extensions `POST /api/context-files` accepts (the API checks the content too). */
export const contextFileExtensions = [
  '.txt',
  '.md',
  '.log',
  '.csv',
  '.json',
  '.yaml',
  '.yml',
  '.pdf',
  '.png',
  '.jpg',
  '.jpeg',
] as const;

/** The largest context file the API takes: 10 MiB. */
export const maxContextFileBytes = 10 * 1024 * 1024;

/**
 * Why the API would refuse this file before it is sent (its type or its size), or undefined.
 * The API decides in the end: it also checks the content and that the name is free.
 *
 * @example
 * ```ts
 * uploadProblem({ name: 'setup.exe', size: 10 }); // 'setup.exe: .exe files are not accepted…'
 * ```
 */
export function uploadProblem(file: { name: string; size: number }): string | undefined {
  const dot = file.name.lastIndexOf('.');
  const extension = dot <= 0 ? '' : file.name.slice(dot).toLowerCase();
  if (!(contextFileExtensions as readonly string[]).includes(extension))
    return `${file.name}: ${extension === '' ? 'files without an extension' : `${extension} files`} are not accepted; use ${contextFileExtensions.join(' ')}`;
  if (file.size > maxContextFileBytes)
    return `${file.name} is ${formatBytes(file.size)}; context files may be at most ${formatBytes(maxContextFileBytes)}`;
  return undefined;
}
