import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { apiDocument, generateApiFiles, REGENERATE } from '../scripts/api-types.js';

describe("the dashboard's API types", () => {
  it('match the API: regenerated from its OpenAPI document, they equal the committed files', async () => {
    const files = await generateApiFiles(await apiDocument());
    for (const [name, expected] of Object.entries(files)) {
      const committed = readFileSync(new URL(`../src/api/${name}`, import.meta.url), 'utf8');
      // One line of difference is enough to tell; the whole diff is what the script shows.
      const differs = committed === expected ? undefined : firstDifference(committed, expected);
      expect(
        differs,
        `app/web/src/api/${name} is stale (the API changed): run \`${REGENERATE}\` and commit it. ${differs ?? ''}`,
      ).toBeUndefined();
    }
  }, 120_000);
});

/** The first line where two texts differ, as `line N: committed … / generated …`. */
function firstDifference(committed: string, generated: string): string {
  const a = committed.split('\n');
  const b = generated.split('\n');
  const line = a.findIndex((text, i) => text !== b[i]);
  const at = line === -1 ? a.length : line;
  return `First difference at line ${at + 1}: committed ${JSON.stringify(a[at])}, generated ${JSON.stringify(b[at])}`;
}
