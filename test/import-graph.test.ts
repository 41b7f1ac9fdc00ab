import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// The package boundaries, checked over every source, test, bench and script file (shared test
// set-up included: it is the private package @akmatori/test-support): a package is
// used through its name and the subpaths its `exports` map lists, never by reaching into its
// files, and `@akmatori/core` (what plugins are written against) carries no database.

const root = path.resolve(import.meta.dirname, '..');

interface Workspace {
  readonly name: string;
  /** Directory relative to the repository root, e.g. `packages/core`. */
  readonly dir: string;
  readonly exports: readonly string[];
  readonly declared: ReadonlySet<string>;
}

const readJson = (file: string): Record<string, unknown> =>
  JSON.parse(readFileSync(path.join(root, file), 'utf8')) as Record<string, unknown>;

function workspaces(): Workspace[] {
  const patterns = readJson('package.json')['workspaces'] as string[];
  const dirs = patterns.flatMap((pattern) =>
    pattern.endsWith('/*')
      ? readdirSync(path.join(root, pattern.slice(0, -2)), { withFileTypes: true })
          .filter((entry) => entry.isDirectory())
          .map((entry) => `${pattern.slice(0, -2)}/${entry.name}`)
      : [pattern],
  );
  return dirs.map((dir) => {
    const manifest = readJson(`${dir}/package.json`);
    const exportsMap = (manifest['exports'] ?? { '.': '' }) as Record<string, unknown>;
    const declared = new Set(
      ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'].flatMap(
        (field) => Object.keys((manifest[field] ?? {}) as Record<string, string>),
      ),
    );
    return { name: manifest['name'] as string, dir, exports: Object.keys(exportsMap), declared };
  });
}

const skippedDirs = new Set(['node_modules', 'dist', 'coverage', 'data', '.git']);
const sourceFile = /\.(ts|mts|cts|mjs|cjs|js|vue)$/;
const scannedRoots = ['packages', 'examples', 'app', 'test', 'bench', 'scripts'];

function* sourceFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true })) {
    if (skippedDirs.has(entry.name)) continue;
    const relative = `${dir}/${entry.name}`;
    if (entry.isDirectory()) yield* sourceFiles(relative);
    else if (sourceFile.test(entry.name) && !entry.name.endsWith('.d.ts')) yield relative;
  }
}

/** Every module specifier a file imports, re-exports or loads with `import()`. */
function specifiersOf(file: string): string[] {
  let text = readFileSync(path.join(root, file), 'utf8');
  if (file.endsWith('.vue'))
    text = [...text.matchAll(/<script[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]).join('\n');
  return ts.preProcessFile(text, true, true).importedFiles.map((entry) => entry.fileName);
}

/** The workspace a repository path belongs to (the deepest one containing it), if any. */
const ownerOf = (all: readonly Workspace[], file: string): Workspace | undefined =>
  all.filter((w) => file.startsWith(`${w.dir}/`)).sort((a, b) => b.dir.length - a.dir.length)[0];

/** `@scope/name/sub` → [`@scope/name`, `./sub`]; `name` → [`name`, `.`]. */
function splitBare(specifier: string): [string, string] {
  const parts = specifier.split('/');
  const length = specifier.startsWith('@') ? 2 : 1;
  const rest = parts.slice(length).join('/');
  return [parts.slice(0, length).join('/'), rest === '' ? '.' : `./${rest}`];
}

/** Whether an `exports` map with these keys (`.`, `./testing`, `./peers/*`) exposes a subpath. */
const exportsSubpath = (keys: readonly string[], subpath: string): boolean =>
  keys.some((key) =>
    key.includes('*')
      ? subpath.startsWith(key.slice(0, key.indexOf('*'))) &&
        subpath.endsWith(key.slice(key.indexOf('*') + 1)) &&
        !subpath.includes('..')
      : key === subpath,
  );

interface Finding {
  readonly file: string;
  readonly specifier: string;
  readonly problem: string;
}

/** The files to check, each with the specifiers it imports. */
type ImportList = ReadonlyArray<{ readonly file: string; readonly specifiers: readonly string[] }>;

const repositoryImports = (): ImportList =>
  scannedRoots.flatMap((top) =>
    [...sourceFiles(top)].map((file) => ({ file, specifiers: specifiersOf(file) })),
  );

function findings(imports: ImportList, all: readonly Workspace[]): Finding[] {
  const byName = new Map(all.map((w) => [w.name, w]));
  const found: Finding[] = [];
  for (const { file, specifiers } of imports) {
    const owner = ownerOf(all, file);
    for (const specifier of specifiers) {
      if (specifier.startsWith('.')) {
        const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier));
        const targetOwner = ownerOf(all, target);
        if (targetOwner !== undefined && targetOwner !== owner)
          found.push({
            file,
            specifier,
            problem: `reaches into ${targetOwner.name}'s files; import it by name`,
          });
        continue;
      }
      const [name, subpath] = splitBare(specifier);
      const target = byName.get(name);
      if (target === undefined) continue;
      if (!exportsSubpath(target.exports, subpath))
        found.push({
          file,
          specifier,
          problem: `${subpath} is not in ${name}'s exports map (${target.exports.join(', ')})`,
        });
      if (owner !== undefined && owner !== target && !owner.declared.has(name))
        found.push({
          file,
          specifier,
          problem: `${owner.name} imports ${name} without declaring it in ${owner.dir}/package.json`,
        });
    }
  }
  return found;
}

const databasePackages = [
  '@electric-sql/pglite',
  '@types/pg',
  'better-sqlite3',
  'knex',
  'knex-pglite',
  'kysely',
  'mysql',
  'mysql2',
  'pg',
  'pg-boss',
  'postgres',
  'sqlite3',
];

describe('the import graph', () => {
  it('has no package reaching into another package’s internals', () => {
    const found = findings(repositoryImports(), workspaces());
    expect(found).toEqual([]);
  });

  it('keeps @akmatori/core free of databases and of the other packages', () => {
    const core = readJson('packages/core/package.json');
    const dependencies = [
      'dependencies',
      'devDependencies',
      'peerDependencies',
      'optionalDependencies',
    ].flatMap((field) => Object.keys((core[field] ?? {}) as Record<string, string>));
    expect(dependencies.filter((name) => databasePackages.includes(name))).toEqual([]);
    const imported = [...sourceFiles('packages/core/src')].flatMap((file) =>
      specifiersOf(file)
        .filter((specifier) => !specifier.startsWith('.') && !specifier.startsWith('node:'))
        .map((specifier) => `${file}: ${specifier}`),
    );
    const forbidden = imported.filter((line) => {
      const [name] = splitBare(line.split(': ')[1] ?? '');
      return (
        databasePackages.includes(name) ||
        (name.startsWith('@akmatori/') && name !== '@akmatori/core') ||
        name === 'akmatori'
      );
    });
    expect(forbidden).toEqual([]);
  });

  it('reports a deep import, a reach into another package and an undeclared package', () => {
    const problems = findings(
      [
        {
          file: 'examples/jsonl-notifier/src/deep.ts',
          specifiers: [
            '@akmatori/core',
            '@akmatori/core/testing',
            '@akmatori/core/src/clock.js',
            '@akmatori/core/dist/clock.js',
            '../../../packages/core/src/clock.js',
            './own-file.js',
            '@akmatori/gateway',
          ],
        },
        { file: 'app/web/test/reach.test.ts', specifiers: ['../../test/support/x.js'] },
      ],
      workspaces(),
    );
    expect(problems.map((p) => `${p.file} ${p.specifier}`)).toEqual([
      'examples/jsonl-notifier/src/deep.ts @akmatori/core/src/clock.js',
      'examples/jsonl-notifier/src/deep.ts @akmatori/core/dist/clock.js',
      'examples/jsonl-notifier/src/deep.ts ../../../packages/core/src/clock.js',
      'examples/jsonl-notifier/src/deep.ts @akmatori/gateway',
      'app/web/test/reach.test.ts ../../test/support/x.js',
    ]);
  });
});
