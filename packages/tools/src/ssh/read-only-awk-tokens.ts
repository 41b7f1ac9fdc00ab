/** One token of an awk program. Strings and regular expressions are single tokens. */
export interface AwkToken {
  readonly kind: 'name' | 'number' | 'string' | 'regex' | 'operator';
  readonly text: string;
}

const OPERATORS = [
  '**=',
  '||',
  '&&',
  '==',
  '!=',
  '<=',
  '>=',
  '>>',
  '++',
  '--',
  '+=',
  '-=',
  '*=',
  '/=',
  '%=',
  '^=',
  '**',
  '!~',
  '|&',
  ...'{}()[];,+-*/%^!><|?:~$=',
];

/** After these keywords an operand is expected, so `/` starts a regular expression. */
const KEYWORDS_BEFORE_OPERAND = new Set([
  'print',
  'printf',
  'return',
  'do',
  'else',
  'exit',
  'case',
  'in',
  'delete',
  'getline',
]);
/** A `(` right after these opens a condition; `/` after its `)` starts a statement. */
const CONTROL_KEYWORDS = new Set(['if', 'while', 'for', 'switch']);

const NUMBER = /^(?:0[xX][0-9a-fA-F]+|(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)/;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

/**
 * Splits an awk program into tokens, telling a regular expression `/re/` from a division
 * the way awk's grammar does (by whether an operand is expected). Returns a reason instead
 * when the text holds anything this tokenizer does not follow exactly: a line break or
 * continuation, `@` (gawk indirect calls and directives), an unterminated string or
 * regular expression, or a `/` or backslash inside a bracket expression (awks disagree).
 *
 * @example
 * ```ts
 * tokenizeAwkProgram('/a|b/ {print $1}').map((t) => t.kind);
 * // ['regex', 'operator', 'name', 'operator', 'number', 'operator']
 * ```
 */
export function tokenizeAwkProgram(source: string): AwkToken[] | string {
  const tokens: AwkToken[] = [];
  const parens: boolean[] = []; // true for a control condition's parenthesis
  let closedControl = false;
  let position = 0;
  while (position < source.length) {
    const character = source.charAt(position);
    const rest = source.slice(position);
    if (character === ' ' || character === '\t') {
      position += 1;
      continue;
    }
    if (character === '#') break; // a comment runs to the end of the (single) line
    let token: AwkToken | string;
    if (character === '"') {
      token = readString(source, position);
    } else if (character === '/' && expectsOperand(tokens.at(-1), closedControl)) {
      token = readRegex(source, position);
    } else if (NUMBER.test(rest)) {
      token = { kind: 'number', text: (NUMBER.exec(rest) as RegExpExecArray)[0] };
    } else if (NAME.test(rest)) {
      token = { kind: 'name', text: (NAME.exec(rest) as RegExpExecArray)[0] };
    } else {
      const operator = OPERATORS.find((candidate) => rest.startsWith(candidate));
      if (operator === undefined) return `unexpected character ${JSON.stringify(character)}`;
      token = { kind: 'operator', text: operator };
    }
    if (typeof token === 'string') return token;
    closedControl = false;
    if (token.text === '(' && token.kind === 'operator') {
      const previous = tokens.at(-1);
      parens.push(previous?.kind === 'name' && CONTROL_KEYWORDS.has(previous.text));
    } else if (token.text === ')' && token.kind === 'operator') {
      if (parens.length === 0) return 'an unmatched ")"';
      closedControl = parens.pop() === true;
    }
    tokens.push(token);
    position += token.text.length;
  }
  return tokens;
}

function expectsOperand(previous: AwkToken | undefined, closedControl: boolean): boolean {
  if (previous === undefined) return true;
  switch (previous.kind) {
    case 'number':
    case 'string':
    case 'regex':
      return false;
    case 'name':
      return KEYWORDS_BEFORE_OPERAND.has(previous.text);
    case 'operator':
      if (previous.text === ')') return closedControl;
      return previous.text !== ']' && previous.text !== '++' && previous.text !== '--';
  }
}

function readString(source: string, start: number): AwkToken | string {
  for (let position = start + 1; position < source.length; position += 1) {
    const character = source.charAt(position);
    if (character === '\\') position += 1;
    else if (character === '"') return { kind: 'string', text: source.slice(start, position + 1) };
  }
  return 'an unterminated string';
}

function readRegex(source: string, start: number): AwkToken | string {
  let inBracket = false;
  for (let position = start + 1; position < source.length; position += 1) {
    const character = source.charAt(position);
    if (inBracket) {
      if (character === '/' || character === '\\') {
        return 'a "/" or backslash inside a bracket expression';
      }
      if (character === '[' && /[:.=]/.test(source.charAt(position + 1))) {
        const kind = source.charAt(position + 1);
        const end = source.indexOf(`${kind}]`, position + 2);
        if (end === -1 || source.slice(position, end).includes('/')) {
          return 'an unterminated class in a bracket expression';
        }
        position = end + 1;
      } else if (character === ']') {
        inBracket = false;
      }
    } else if (character === '\\') {
      position += 1;
    } else if (character === '[') {
      inBracket = true;
      if (source.charAt(position + 1) === '^') position += 1;
      if (source.charAt(position + 1) === ']') position += 1;
    } else if (character === '/') {
      return { kind: 'regex', text: source.slice(start, position + 1) };
    }
  }
  return 'an unterminated regular expression';
}
