/**
 * `npm run api:types`: regenerates the dashboard's API types (`app/web/src/api/schema.d.ts`)
 * and the role each operation needs (`operation-roles.ts`) from the app's OpenAPI document.
 * Commit what it writes; `app/web/test/api-types.test.ts` fails when they are stale.
 */
import { writeFileSync } from 'node:fs';
import { apiDocument, generateApiFiles } from './api-types.js';

const files = await generateApiFiles(await apiDocument());
for (const [name, text] of Object.entries(files)) {
  const target = new URL(`../src/api/${name}`, import.meta.url);
  writeFileSync(target, text);
  process.stdout.write(`wrote ${target.pathname}\n`);
}
