import { Parser, Language } from 'web-tree-sitter';
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
await Parser.init();
const lang = await Language.load(require.resolve('tree-sitter-bash/tree-sitter-bash.wasm'));
const p = new Parser(); p.setLanguage(lang);
function dump(n, d, field) {
  const f = field ? field + ': ' : '';
  const t = n.childCount === 0 ? ' ' + JSON.stringify(n.text) : '';
  console.log('  '.repeat(d) + f + (n.isNamed ? n.type : JSON.stringify(n.type)) + (n.isMissing ? ' MISSING' : '') + t);
  for (let i = 0; i < n.childCount; i++) dump(n.child(i), d + 1, n.fieldNameForChild(i));
}
for (const src of process.argv.slice(2)) { const t = p.parse(src); console.log('=== ' + src + (t.rootNode.hasError ? '  [HAS ERROR]' : '')); dump(t.rootNode, 0); }
