import { createRequire } from 'node:module';
import { Language, Parser, type Node } from 'web-tree-sitter';

/**
 * The outcome of parsing a command line: either what `read` made of the syntax tree, or
 * why the text is not a complete, valid Bash command line.
 */
export type ParsedCommandLine<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

let parserReady: Promise<Parser> | undefined;

/**
 * Loads tree-sitter's WASM runtime and the tree-sitter-bash grammar once per process.
 * A failed load is forgotten, so the next call tries again.
 */
function loadBashParser(): Promise<Parser> {
  parserReady ??= (async () => {
    await Parser.init();
    const grammarPath = createRequire(import.meta.url).resolve(
      'tree-sitter-bash/tree-sitter-bash.wasm',
    );
    const bash = await Language.load(grammarPath);
    const parser = new Parser();
    parser.setLanguage(bash);
    return parser;
  })().catch((error: unknown) => {
    parserReady = undefined;
    throw error;
  });
  return parserReady;
}

/**
 * Parses `commandLine` with the tree-sitter Bash grammar and hands the root of the syntax
 * tree to `read`. The tree lives only for the duration of `read`: copy out what you need.
 * A command line with any syntax error or missing token is reported as not parsed, never
 * guessed at (tree-sitter recovers from errors; this does not).
 *
 * @example
 * ```ts
 * const parsed = await parseCommandLine('uptime', (root) => root.namedChildCount);
 * if (parsed.ok) console.log(parsed.value); // 1
 * ```
 */
export async function parseCommandLine<T>(
  commandLine: string,
  read: (root: Node) => T,
): Promise<ParsedCommandLine<T>> {
  const parser = await loadBashParser();
  const tree = parser.parse(commandLine);
  if (tree === null) return { ok: false, error: 'the shell parser returned no syntax tree' };
  try {
    const root = tree.rootNode;
    if (root.hasError) return { ok: false, error: describeSyntaxError(root) };
    return { ok: true, value: read(root) };
  } finally {
    tree.delete();
  }
}

function describeSyntaxError(root: Node): string {
  const broken = findBrokenNode(root);
  if (broken === null) return 'the command is not valid shell syntax';
  const column = broken.startPosition.column + 1;
  if (broken.isMissing)
    return `the command is incomplete: "${broken.type}" expected at column ${column}`;
  return `the command is not valid shell syntax near column ${column}`;
}

function findBrokenNode(node: Node): Node | null {
  if (node.isError || node.isMissing) return node;
  for (const child of node.children) {
    if (child !== null && (child.hasError || child.isMissing)) return findBrokenNode(child);
  }
  return null;
}
