import { readFileSync } from 'node:fs';
import * as core from '@akmatori/core';
import { CoreErrors } from '@akmatori/core';
import * as coreTesting from '@akmatori/core/testing';
import { configEnvironment, HostErrors } from '@akmatori/host';
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

  it('docs/plugins.md names everything @akmatori/core and @akmatori/core/testing export', () => {
    const plugins = read('docs/plugins.md');
    const unnamed = [...Object.keys(core), ...Object.keys(coreTesting)].filter(
      (name) => !new RegExp(`\\b${name}\\b`).test(plugins),
    );
    expect(unnamed, 'exports docs/plugins.md does not mention').toEqual([]);
  });

  it('docs/api.md lists every error code with its status', () => {
    const api = read('docs/api.md');
    for (const factory of [
      ...Object.values(CoreErrors),
      ...Object.values(HostErrors),
      ...Object.values(AppErrors),
      ...Object.values(GatewayErrors),
    ]) {
      expect(api, factory.code).toMatch(
        new RegExp(`\\|\\s*\`${factory.code}\`\\s*\\|\\s*${factory.status}\\s*\\|`),
      );
    }
  });

  it('docs/operations.md and docs/tools.md agree that credentials are encrypted at rest', () => {
    const operations = read('docs/operations.md');
    const tools = read('docs/tools.md');
    expect(operations).toMatch(/Values stored encrypted \([^)]*tool instances' credentials/);
    expect(operations).toMatch(/Values stored encrypted \([^)]*Slack's bot token/);
    expect(tools).toContain('Tool credentials are encrypted at rest');
    for (const [name, text] of [
      ['docs/operations.md', operations],
      ['docs/tools.md', tools],
    ] as const)
      expect(text, name).not.toMatch(
        /(credential|secret)s?[^.]*(plain ?text|unencrypted|not encrypted)/i,
      );
  });

  it('the README opens with the install-and-start and the test commands', () => {
    const readme = read('README.md');
    const firstBlock = /```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    expect(firstBlock).toMatch(/^npm install && npm start\b/m);
    expect(firstBlock).toMatch(/^npm test\b/m);
  });
});
