import { readFileSync } from 'node:fs';
import { configEnvironment, CoreErrors } from '@akmatori/core';
import { describe, expect, it } from 'vitest';
import { GatewayErrors } from '@akmatori/gateway';
import { AppErrors } from '../src/index.js';

const read = (path: string): string =>
  readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

describe('documentation stays in step with the code', () => {
  it('the README documents every configuration variable', () => {
    const readme = read('README.md');
    for (const { name } of Object.values(configEnvironment))
      expect(readme, name).toContain(`\`${name}\``);
  });

  it('docs/api.md lists every error code with its status', () => {
    const api = read('docs/api.md');
    for (const factory of [
      ...Object.values(CoreErrors),
      ...Object.values(AppErrors),
      ...Object.values(GatewayErrors),
    ]) {
      expect(api, factory.code).toMatch(
        new RegExp(`\\|\\s*\`${factory.code}\`\\s*\\|\\s*${factory.status}\\s*\\|`),
      );
    }
  });

  it('the README opens with the install-and-start and the test commands', () => {
    const readme = read('README.md');
    const firstBlock = /```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    expect(firstBlock).toMatch(/^npm install && npm start\b/m);
    expect(firstBlock).toMatch(/^npm test\b/m);
  });
});
