// The JavaScript (and CSS) a browser loads for the dashboard's first pages, gzipped: the
// entry chunk plus each page's chunks and everything they import statically. Budget: 250 kB
// of JavaScript for the first page after login (the incidents list).
// Usage: npm run build:web && node bench/web/first-page-size.mjs
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const dist = new URL('../../app/web/dist/', import.meta.url);
const manifest = JSON.parse(readFileSync(new URL('.vite/manifest.json', dist), 'utf8'));
const BUDGET_KB = 250;

/** Every chunk `keys` load before they run: themselves and their static imports. */
function closure(keys) {
  const seen = new Set();
  const visit = (key) => {
    if (seen.has(key)) return;
    seen.add(key);
    for (const imported of manifest[key].imports ?? []) visit(imported);
  };
  keys.forEach(visit);
  return [...seen];
}

function size(keys) {
  let js = 0;
  let css = 0;
  for (const key of closure(keys)) {
    const chunk = manifest[key];
    js += gzipSync(readFileSync(new URL(chunk.file, dist))).length;
    for (const file of chunk.css ?? []) css += gzipSync(readFileSync(new URL(file, dist))).length;
  }
  return { js: js / 1000, css: css / 1000 };
}

const pages = {
  'login (/login)': ['index.html', 'src/pages/LoginPage.vue'],
  'first-run setup (/setup)': ['index.html', 'src/pages/SetupPage.vue'],
  'incidents list (/incidents, the first page after login)': [
    'index.html',
    'src/layout/AppShell.vue',
    'src/pages/IncidentsPage.vue',
  ],
};
let over = false;
for (const [name, keys] of Object.entries(pages)) {
  const { js, css } = size(keys);
  const first = name.includes('first page');
  if (first && js > BUDGET_KB) over = true;
  process.stdout.write(
    `${name}: ${js.toFixed(1)} kB JavaScript, ${css.toFixed(1)} kB CSS (gzipped)${first ? `; budget ${BUDGET_KB} kB` : ''}\n`,
  );
}
if (over) {
  process.stdout.write('OVER BUDGET\n');
  process.exitCode = 1;
}
