import { parseArguments } from './command-options.js';
import { quoteForReason } from './command-words.js';
import { checkGlobs, type ProgramRule } from './read-only-rule.js';

const ALLOWED_SHORT = 'neErsuzl';
const ALLOWED_LONG = [
  'quiet',
  'silent',
  'expression',
  'regexp-extended',
  'separate',
  'unbuffered',
  'null-data',
  'line-length',
  'posix',
  'debug',
  'sandbox',
];

/** Commands without arguments (or with an optional number, `q`/`Q`/`l`/`L`). */
const SIMPLE_COMMANDS = new Set([...'=dDgGhHnNpPxzFqQlL']);
/** Commands whose argument runs to the end of the script chunk. */
const TEXT_COMMANDS = new Set([...'aicrR']);
const LABEL_COMMANDS = new Set([...'btT:v']);
const S_FLAGS = new Set([...'gpiImM0123456789']);

/**
 * sed, read-only: options only from a short list (no `-i`/`--in-place`, no `-f` script
 * files) and scripts without the `w`/`W`/`e` commands or the `w`/`e` flags of `s`. The
 * script is parsed (GNU syntax); anything it cannot follow is refused.
 *
 * @example
 * ```ts
 * sedRule.judge('sed', args); // for `sed -i s/a/b/ f`: ['sed -i edits files in place']
 * ```
 */
export const sedRule: ProgramRule = {
  summary: 'sed without -i/--in-place or -f, scripts without w/W/e commands or s///w, s///e',
  judge: (program, args) => {
    const reasons: string[] = [];
    const parsed = parseArguments(args, {
      valueShort: 'efl',
      optionalValueShort: 'i',
      valueLong: ['expression', 'file', 'line-length'],
    });
    const scripts: string[] = [];
    for (const option of parsed.options) {
      if (option.name === 'i' || (option.long && 'in-place'.startsWith(option.name))) {
        reasons.push(`${program} ${option.flag} edits files in place`);
      } else if (option.name === 'f' || (option.long && 'file'.startsWith(option.name))) {
        reasons.push(`${program} ${option.flag} runs a script file that cannot be checked`);
      } else if (
        option.long ? !ALLOWED_LONG.includes(option.name) : !ALLOWED_SHORT.includes(option.name)
      ) {
        reasons.push(
          `${program} option ${quoteForReason(option.flag)} is not on the read-only list`,
        );
      } else if (option.name === 'e' || option.name === 'expression') {
        if (option.glob) reasons.push(`${program} script must not be a glob pattern`);
        scripts.push(option.value ?? '');
      }
    }
    let files = parsed.operands;
    if (scripts.length === 0 && reasons.length === 0) {
      const [script, ...rest] = parsed.operands;
      if (script === undefined) return [`${program} without a script`];
      if (script.glob) reasons.push(`${program} script must not be a glob pattern`);
      scripts.push(script.value);
      files = rest;
    }
    reasons.push(...checkGlobs(program, files, 'paths'));
    for (const script of scripts) {
      const problem = findWriteInSedScript(script);
      if (problem !== null) reasons.push(`${program} script ${quoteForReason(script)}: ${problem}`);
    }
    return reasons;
  },
};

/**
 * Returns why a sed script is not read-only (a command that writes a file or runs one,
 * or syntax this checker does not follow), or null when it only prints.
 *
 * @example
 * ```ts
 * findWriteInSedScript('1,20p'); // null
 * findWriteInSedScript('s/a/b/w out'); // 'the s flag "w" writes a file'
 * ```
 */
export function findWriteInSedScript(script: string): string | null {
  const reader = new ScriptReader(script);
  try {
    readCommands(reader);
    return null;
  } catch (error) {
    if (error instanceof SedScriptProblem) return error.message;
    throw error;
  }
}

class SedScriptProblem extends Error {}

class ScriptReader {
  position = 0;
  constructor(readonly text: string) {}
  get done(): boolean {
    return this.position >= this.text.length;
  }
  peek(): string {
    return this.text.charAt(this.position);
  }
  next(): string {
    const character = this.text.charAt(this.position);
    this.position += 1;
    return character;
  }
  skipBlanks(): void {
    while (this.peek() === ' ' || this.peek() === '\t') this.position += 1;
  }
  rest(): string {
    const rest = this.text.slice(this.position);
    this.position = this.text.length;
    return rest;
  }
  fail(message: string): never {
    throw new SedScriptProblem(message);
  }
}

function readCommands(reader: ScriptReader): void {
  let depth = 0;
  for (;;) {
    while (reader.peek() === ';' || reader.peek() === ' ' || reader.peek() === '\t') reader.next();
    if (reader.done) break;
    if (reader.peek() === '#') return; // a comment runs to the end of the chunk
    readAddresses(reader);
    reader.skipBlanks();
    if (reader.peek() === '!') {
      reader.next();
      reader.skipBlanks();
    }
    const command = reader.next();
    if (command === '{') {
      depth += 1;
      continue;
    }
    if (command === '}') {
      depth -= 1;
      if (depth < 0) reader.fail('an unmatched "}"');
    } else {
      readCommand(reader, command);
    }
    reader.skipBlanks();
    if (!reader.done && reader.peek() !== ';' && reader.peek() !== '}' && reader.peek() !== '#') {
      reader.fail(`unexpected text after command ${JSON.stringify(command)}`);
    }
  }
  if (depth !== 0) reader.fail('an unclosed "{"');
}

function readCommand(reader: ScriptReader, command: string): void {
  if (command === 'w' || command === 'W') reader.fail(`the command "${command}" writes a file`);
  if (command === 'e') reader.fail('the command "e" runs a shell command');
  if (command === 's') return readSubstitution(reader);
  if (command === 'y') {
    const delimiter = readDelimiter(reader);
    readPart(reader, delimiter, false);
    readPart(reader, delimiter, false);
    return;
  }
  if (SIMPLE_COMMANDS.has(command)) {
    reader.skipBlanks();
    while (/[0-9]/.test(reader.peek())) reader.next();
    return;
  }
  if (TEXT_COMMANDS.has(command)) {
    const text = reader.rest();
    // GNU sed reads the text to the end of the line; a sed that stopped at ";" or "}"
    // would run what follows, so such text is refused.
    if (/[;}]/.test(text)) reader.fail(`the text of "${command}" contains ";" or "}"`);
    return;
  }
  if (LABEL_COMMANDS.has(command)) {
    // Stop at the first blank or ";": whatever follows is read as commands, so a sed
    // that takes a longer label only sees fewer commands than this checker.
    reader.skipBlanks();
    while (!reader.done && !/[\s;]/.test(reader.peek())) reader.next();
    return;
  }
  reader.fail(`unknown command ${JSON.stringify(command)}`);
}

function readAddresses(reader: ScriptReader): void {
  if (!readAddress(reader)) return;
  reader.skipBlanks();
  if (reader.peek() !== ',') return;
  reader.next();
  reader.skipBlanks();
  if (reader.peek() === '+' || reader.peek() === '~') reader.next();
  if (!readAddress(reader)) reader.fail('a range without an end address');
}

function readAddress(reader: ScriptReader): boolean {
  const start = reader.peek();
  if (/[0-9]/.test(start)) {
    while (/[0-9~]/.test(reader.peek())) reader.next();
    return true;
  }
  if (start === '$') {
    reader.next();
    return true;
  }
  if (start === '/' || start === '\\') {
    reader.next();
    const delimiter = start === '/' ? '/' : readDelimiter(reader);
    readPart(reader, delimiter, true);
    while (reader.peek() === 'I' || reader.peek() === 'M') reader.next();
    return true;
  }
  return false;
}

function readDelimiter(reader: ScriptReader): string {
  const delimiter = reader.next();
  // Brackets and "^" as delimiters would make bracket expressions ambiguous.
  if (delimiter === '' || /[\s\\[\]^]/.test(delimiter)) {
    reader.fail('an unusual delimiter');
  }
  return delimiter;
}

function readSubstitution(reader: ScriptReader): void {
  const delimiter = readDelimiter(reader);
  readPart(reader, delimiter, true);
  readPart(reader, delimiter, false);
  while (!reader.done && !/[\s;}#]/.test(reader.peek())) {
    const flag = reader.next();
    if (flag === 'w') reader.fail('the s flag "w" writes a file');
    if (flag === 'e') reader.fail('the s flag "e" runs the pattern space as a command');
    if (!S_FLAGS.has(flag)) reader.fail(`unknown s flag ${JSON.stringify(flag)}`);
  }
}

/**
 * Reads up to the closing delimiter. In a regular expression, a delimiter or a backslash
 * inside a bracket expression (`[/]`, `[\]]`) is refused: sed implementations disagree on
 * where such an expression ends.
 */
function readPart(reader: ScriptReader, delimiter: string, regex: boolean): void {
  let inBracket = false;
  for (;;) {
    if (reader.done) reader.fail('an unterminated expression');
    const character = reader.next();
    if (character === '\\' && regex && inBracket) {
      reader.fail('a backslash inside a bracket expression');
    } else if (character === '\\') {
      if (reader.done) reader.fail('an unterminated expression');
      reader.next();
    } else if (regex && inBracket) {
      if (character === delimiter) reader.fail('a delimiter inside a bracket expression');
      if (character === ']') inBracket = false;
      if (character === '[' && /[:.=]/.test(reader.peek())) skipBracketClass(reader, delimiter);
    } else if (character === delimiter) {
      return;
    } else if (regex && character === '[') {
      inBracket = true;
      if (reader.peek() === '^') reader.next();
      if (reader.peek() === ']') reader.next();
    }
  }
}

/** Skips `[:alpha:]`, `[.x.]` or `[=e=]` inside a bracket expression. */
function skipBracketClass(reader: ScriptReader, delimiter: string): void {
  const kind = reader.next();
  for (;;) {
    if (reader.done) reader.fail('an unterminated bracket expression');
    const character = reader.next();
    if (character === delimiter) reader.fail('a delimiter inside a bracket expression');
    if (character === kind && reader.peek() === ']') {
      reader.next();
      return;
    }
  }
}
