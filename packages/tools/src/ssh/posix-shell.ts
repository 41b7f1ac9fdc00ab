/** The shell every command runs in, whatever the login shell of the remote user. */
export const COMMAND_SHELL = '/bin/sh';

/**
 * Quotes `text` as one word for the login shell that sshd hands the command to. Most
 * characters go inside single quotes; a single quote and a backslash go outside them,
 * escaped (`\'`, `\\`). That reads the same in the sh family (sh, dash, bash, zsh, ksh),
 * the csh family (non-interactive, so no history `!`) and fish (which treats `\\` and `\'`
 * specially inside single quotes, so none are left there).
 *
 * @example
 * ```ts
 * quoteForLoginShell("it's"); // 'it'\''s'
 * ```
 */
export function quoteForLoginShell(text: string): string {
  let quoted = '';
  let open = false;
  for (const character of text) {
    if (character === "'" || character === '\\') {
      if (open) quoted += "'";
      open = false;
      quoted += `\\${character}`;
    } else {
      if (!open) quoted += "'";
      open = true;
      quoted += character;
    }
  }
  if (open) quoted += "'";
  return quoted === '' ? "''" : quoted;
}

/**
 * The command line sent to sshd: `exec /bin/sh -c '<command>'`. sshd always runs what it
 * is sent through the user's login shell; `exec` replaces that shell with `/bin/sh` at
 * once, so the command is parsed by POSIX sh, which the read-only policy checks it for,
 * and not by zsh, fish or csh, whose syntax differs. `/bin/sh` rather than `bash -c`:
 * it exists on every host, and as sh it reads no start-up file (`BASH_ENV`, `ENV`).
 *
 * @example
 * ```ts
 * commandForLoginShell('uptime'); // "exec /bin/sh -c 'uptime'"
 * ```
 */
export function commandForLoginShell(command: string): string {
  return `exec ${COMMAND_SHELL} -c ${quoteForLoginShell(command)}`;
}
