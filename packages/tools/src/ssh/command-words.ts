import type { Node } from 'web-tree-sitter';

/**
 * One argument of a simple command whose text is known before the shell runs it: quotes
 * are removed and escapes resolved. Only glob characters (`*`, `?`, `[`) may still expand.
 */
export interface CommandArgument {
  /** The text after quote removal, e.g. `*.log` for `*.log` and `a b` for `'a b'`. */
  readonly value: string;
  /** True when an unquoted `*`, `?` or `[` makes the shell expand it into file names. */
  readonly glob: boolean;
  /**
   * True when the glob's expansion may start with `-` (it starts with a glob character or
   * with `-`), so a file name could turn into an option of the program.
   */
  readonly mayExpandToOption: boolean;
}

/** A word of the command line: a known {@link CommandArgument}, or why it is not one. */
export type ShellWord =
  | { readonly literal: true; readonly argument: CommandArgument }
  | { readonly literal: false; readonly reason: string };

interface Piece {
  readonly text: string;
  readonly glob: boolean;
  /** The first character of `text` is an unquoted glob character. */
  readonly startsWithGlob: boolean;
}

const GLOB_CHARACTERS = new Set(['*', '?', '[']);
/** Unquoted characters the shell gives a meaning to; none may survive in a plain word. */
const SHELL_METACHARACTERS = new Set([...'$`\'"(){}<>|&; \t\r\n']);

const DYNAMIC_WORDS: Readonly<Record<string, string>> = {
  command_substitution: 'command substitution {text} runs a hidden command',
  process_substitution: 'process substitution {text} runs a hidden command',
  simple_expansion: 'variable expansion {text} hides the real text',
  expansion: 'parameter expansion {text} hides the real text',
  arithmetic_expansion: 'arithmetic expansion {text} hides the real text',
  ansi_c_string: 'ANSI-C quoting {text} hides the real text',
  translated_string: 'locale quoting {text} hides the real text',
  brace_expression: 'brace expansion {text} hides the real text',
};

/** Shortens `text` for a human-readable reason. */
export function quoteForReason(text: string): string {
  const short = text.length > 60 ? `${text.slice(0, 57)}...` : text;
  return JSON.stringify(short);
}

/**
 * Reads a word node (`word`, `number`, quoted strings and their concatenations) into its
 * literal text. Any expansion, substitution or unusual quoting makes it not literal.
 *
 * @example
 * ```ts
 * const word = readShellWord(argumentNode); // for `'*.log'`
 * // { literal: true, argument: { value: '*.log', glob: false, mayExpandToOption: false } }
 * ```
 */
export function readShellWord(node: Node): ShellWord {
  const piece = readPiece(node);
  if (typeof piece === 'string') return { literal: false, reason: piece };
  return {
    literal: true,
    argument: {
      value: piece.text,
      glob: piece.glob,
      mayExpandToOption: piece.glob && (piece.startsWithGlob || piece.text.startsWith('-')),
    },
  };
}

function readPiece(node: Node): Piece | string {
  switch (node.type) {
    case 'word':
    case 'number':
      return readUnquoted(node.text);
    case 'raw_string':
      return readSingleQuoted(node.text);
    case 'string':
      return readDoubleQuoted(node);
    case 'concatenation':
      return readConcatenation(node);
    default:
      return dynamicReason(node);
  }
}

function dynamicReason(node: Node): string {
  const template = DYNAMIC_WORDS[node.type];
  const text = quoteForReason(node.text);
  if (template !== undefined) return template.replace('{text}', () => text);
  if (node.type === '$') return 'a bare "$" hides the real text';
  return `shell syntax ${text} (${node.type}) is not a plain word`;
}

function readUnquoted(text: string): Piece | string {
  let value = '';
  let glob = false;
  let startsWithGlob = false;
  for (let index = 0; index < text.length; index += 1) {
    const character = text.charAt(index);
    if (character === '\\') {
      index += 1;
      if (index >= text.length) return `a trailing backslash in ${quoteForReason(text)}`;
      value += text.charAt(index);
    } else if (character === '{' || character === '}') {
      return `brace expansion ${quoteForReason(text)} hides the real text`;
    } else if (SHELL_METACHARACTERS.has(character)) {
      return `unexpected shell character ${JSON.stringify(character)} in ${quoteForReason(text)}`;
    } else {
      if (GLOB_CHARACTERS.has(character)) {
        glob = true;
        if (value === '') startsWithGlob = true;
      }
      value += character;
    }
  }
  return { text: value, glob, startsWithGlob };
}

function readSingleQuoted(text: string): Piece | string {
  const inner = text.slice(1, -1);
  if (text.length < 2 || !text.startsWith("'") || !text.endsWith("'") || inner.includes("'")) {
    return `unexpected quoting in ${quoteForReason(text)}`;
  }
  return { text: inner, glob: false, startsWithGlob: false };
}

/** Inside double quotes a backslash escapes only these characters. */
const DOUBLE_QUOTE_ESCAPES = new Set(['$', '`', '"', '\\']);

function readDoubleQuoted(node: Node): Piece | string {
  const children = node.children.filter((child): child is Node => child !== null);
  const first = children[0];
  const last = children[children.length - 1];
  if (children.length < 2 || first?.type !== '"' || last?.type !== '"') {
    return `unexpected quoting in ${quoteForReason(node.text)}`;
  }
  let value = '';
  for (let index = 1; index < children.length - 1; index += 1) {
    const child = children[index] as Node;
    if (child.type === '$' && index === children.length - 2) {
      value += '$'; // "price$": a dollar sign right before the closing quote is literal
    } else if (child.type === 'string_content') {
      const content = unescapeDoubleQuoted(child.text);
      if (content === null) return `unexpected text in ${quoteForReason(node.text)}`;
      value += content;
    } else {
      return dynamicReason(child);
    }
  }
  return { text: value, glob: false, startsWithGlob: false };
}

function unescapeDoubleQuoted(content: string): string | null {
  let value = '';
  for (let index = 0; index < content.length; index += 1) {
    const character = content.charAt(index);
    if (character === '$' || character === '`') return null;
    if (character === '\\') {
      const next = content.charAt(index + 1);
      if (next === '') return null;
      if (DOUBLE_QUOTE_ESCAPES.has(next)) {
        value += next;
        index += 1;
        continue;
      }
    }
    value += character;
  }
  return value;
}

function readConcatenation(node: Node): Piece | string {
  let text = '';
  let glob = false;
  let startsWithGlob = false;
  for (const child of node.children) {
    if (child === null) continue;
    const piece = readPiece(child);
    if (typeof piece === 'string') return piece;
    if (text === '' && piece.startsWithGlob) startsWithGlob = true;
    text += piece.text;
    glob ||= piece.glob;
  }
  return { text, glob, startsWithGlob };
}
