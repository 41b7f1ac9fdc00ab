/**
 * Characters a command line must not hold, because what a reviewer sees is not what the
 * shell runs: control characters (line breaks hide commands, NUL cuts them), bidirectional
 * controls (they reorder the text on screen, "Trojan Source"), and invisible or
 * space-like characters (a zero-width space or a no-break space looks like nothing or like
 * a blank, yet the shell reads it as part of a word).
 */
const FORBIDDEN_CHARACTERS: ReadonlyArray<{ readonly pattern: RegExp; readonly what: string }> = [
  {
    // C0 controls (tab aside), DEL and C1 controls.
    // eslint-disable-next-line no-control-regex
    pattern: /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/u,
    what: 'the control character {code} (line breaks and NUL are not allowed)',
  },
  {
    pattern: /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u,
    what: 'the bidirectional control {code}, which reorders the text on screen',
  },
  {
    // Combining characters and joiners stand alone here, on purpose: each one is refused.
    pattern:
      // eslint-disable-next-line no-misleading-character-class
      /[\u00ad\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200d\u2060-\u2064\u206a-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff9-\ufffb\u{1d173}-\u{1d17a}\u{e0000}-\u{e007f}\u{e0100}-\u{e01ef}]/u,
    what: 'the invisible character {code}',
  },
  {
    pattern: /[\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/u,
    what: 'the space-like character {code}, which the shell reads as part of a word',
  },
  {
    // Private use and unassigned surrogate halves: unknown glyphs, or broken text.
    pattern: /[\ue000-\uf8ff\u{f0000}-\u{10ffff}]|\p{Cs}/u,
    what: 'the private-use or broken character {code}',
  },
];

/** `U+200B` for a character. */
function codePointOf(character: string): string {
  const code = character.codePointAt(0) ?? 0;
  return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * Why `command` holds a character the policy refuses (naming its code point), or null.
 *
 * @example
 * ```ts
 * forbiddenCharacterIn('ls\u202e-la'); // 'the command contains the bidirectional control U+202E, ...'
 * forbiddenCharacterIn('ls -la'); // null
 * ```
 */
export function forbiddenCharacterIn(command: string): string | null {
  for (const { pattern, what } of FORBIDDEN_CHARACTERS) {
    const found = pattern.exec(command);
    if (found !== null) {
      return `the command contains ${what.replace('{code}', codePointOf(found[0]))}`;
    }
  }
  return null;
}
