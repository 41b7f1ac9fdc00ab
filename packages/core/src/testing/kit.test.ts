import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { payloadError } from '../alerts/payload-error.js';
import { defineAlertAdapter, type AlertAdapter } from '../contracts/alert-adapter.js';
import type { NormalizedAlert } from '../contracts/alert.js';
import { defineNotifier } from '../contracts/notifier.js';
import { emptyObjectSchema } from '../contracts/schema.js';
import { defineToolProvider } from '../contracts/tool-provider.js';
import {
  alertProblems,
  callTool,
  checkAlertAdapterContract,
  checkNotifierContract,
  checkToolProviderContract,
  fixtureFolder,
  fixtureProblems,
  mangledPayloadProblems,
  mangledPayloads,
  payloadErrorOf,
  toolOf,
} from './index.js';

const sound: NormalizedAlert = {
  name: 'Disk full',
  status: 'firing',
  severity: 'critical',
  fingerprint: 'disk',
  labels: {},
  annotations: {},
  startsAt: new Date('2026-01-01T00:00:00Z'),
};

/** An adapter reading `{check, up}`, refusing non-objects; `careless` skips its type checks. */
function uptimeAdapter(careless = false): AlertAdapter {
  return defineAlertAdapter({
    id: 'uptime',
    displayName: 'Uptime',
    configSchema: emptyObjectSchema,
    authentication: 'Authorization: Bearer <webhook secret>',
    fingerprintFields: ['check'],
    samples: [{ name: 'down', body: { check: 'web', up: false } }],
    parse: (request, context) => {
      const body = request.body as { check: unknown; up: unknown };
      if (body === null || typeof body !== 'object' || Array.isArray(body)) {
        throw payloadError('the body must be a JSON object');
      }
      if (!careless && (typeof body.check !== 'string' || body.check === '')) {
        throw payloadError('check must be a non-empty string');
      }
      const check = careless ? (body.check as string).toUpperCase() : (body.check as string);
      return [
        {
          ...sound,
          name: check,
          fingerprint: check,
          status: body.up === true ? 'resolved' : 'firing',
          ...(body.up === true ? { endsAt: context.receivedAt } : {}),
        },
      ];
    },
  });
}

describe('alertProblems', () => {
  it('passes a sound alert and names each broken field', () => {
    expect(alertProblems([sound])).toEqual([]);
    const broken = {
      ...sound,
      name: ' ',
      severity: 'urgent',
      fingerprint: '',
      labels: { count: 3 },
      annotations: [],
      endsAt: new Date('nonsense'),
    } as unknown as NormalizedAlert;
    expect(alertProblems([broken])).toEqual([
      'alert 0: empty name',
      'alert 0: severity urgent',
      'alert 0: empty fingerprint',
      'alert 0: labels values must be strings',
      'alert 0: annotations must be an object',
      'alert 0: endsAt must be a valid Date',
      'alert 0: a firing alert has an endsAt',
    ]);
    expect(alertProblems([{ ...sound, status: 'resolved' }])).toEqual([
      'alert 0: a resolved alert has no endsAt',
    ]);
  });
});

describe('payloadErrorOf', () => {
  it('returns the payload error, and throws when the payload was accepted or crashed', () => {
    expect(
      payloadErrorOf(() => {
        throw payloadError('no check');
      }).message,
    ).toContain('no check');
    expect(() => payloadErrorOf(() => [])).toThrow('the payload was accepted');
    expect(() =>
      payloadErrorOf(() => {
        throw new TypeError('x is undefined');
      }),
    ).toThrow('got: TypeError: x is undefined');
  });
});

describe('mangled payloads', () => {
  it('damages every field: other types, removed, cut to half', () => {
    const changes = [...mangledPayloads({ check: 'web', tags: ['a', 'b'] })].map((m) => m.change);
    expect(changes).toContain('check = null');
    expect(changes).toContain('check = a huge string');
    expect(changes).toContain('check = unicode');
    expect(changes).toContain('check removed');
    expect(changes).toContain('check cut to half its length');
    expect(changes).toContain('tags.1 removed');
    expect(changes).toContain('tags cut to half its length');
  });

  it('passes an adapter that refuses bad input and reports one that crashes on it', () => {
    const bodies = { 'down.json': { check: 'web', up: false } };
    expect(mangledPayloadProblems(uptimeAdapter(), bodies)).toEqual([]);
    expect(mangledPayloadProblems(uptimeAdapter(), {})).toEqual(['no payloads to mangle']);
    const problems = mangledPayloadProblems(uptimeAdapter(true), bodies);
    expect(problems).toContain(
      "down.json check = null: threw TypeError: Cannot read properties of null (reading 'toUpperCase')",
    );
  });
});

describe('checkAlertAdapterContract', () => {
  it('passes a sound adapter', () => {
    expect(checkAlertAdapterContract(uptimeAdapter())).toEqual([]);
  });

  it('reports an adapter whose parse crashes on a body that is not an object', () => {
    const adapter = {
      ...uptimeAdapter(),
      parse: (r: { body: unknown }) => [{ ...sound, name: (r.body as { a: string }).a }],
    };
    expect(checkAlertAdapterContract(adapter as AlertAdapter)).toContain(
      "a body that is null throws TypeError: Cannot read properties of null (reading 'a'), not a payloadError",
    );
  });

  it('reports alerts that break the strict checks, and what the host refuses', () => {
    const adapter = { ...uptimeAdapter(), parse: () => [{ ...sound, status: 'resolved' }] };
    expect(checkAlertAdapterContract(adapter as AlertAdapter)).toContain(
      'sample "down" alert 0: a resolved alert has no endsAt',
    );
    expect(checkAlertAdapterContract({ ...uptimeAdapter(), samples: [] })[0]).toContain(
      'needs at least one sample payload',
    );
  });
});

describe('fixtureFolder and fixtureProblems', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'akmatori-kit-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(path.join(dir, 'down.json'), '{"check":"web","up":false}');
  writeFileSync(path.join(dir, 'down.source.txt'), 'written by hand');
  writeFileSync(path.join(dir, 'empty_invalid.json'), '{"check":""}');
  writeFileSync(path.join(dir, 'empty.json'), '{"check":""}');

  it('lists the fixtures, their bytes and requests, and those without provenance', () => {
    const fixtures = fixtureFolder(dir);
    expect(fixtures.names()).toEqual(['down.json', 'empty.json', 'empty_invalid.json']);
    expect(fixtures.withoutProvenance()).toEqual(['empty.json', 'empty_invalid.json']);
    expect(fixtures.request('down.json', { 'X-Token': 't' }).headers).toEqual({
      'content-type': 'application/json',
      'x-token': 't',
    });
  });

  it('accepts a fixture read into sound alerts, or a refused one named invalid', () => {
    const fixtures = fixtureFolder(dir);
    expect(fixtureProblems(uptimeAdapter(), fixtures, 'down.json')).toEqual([]);
    expect(fixtureProblems(uptimeAdapter(), fixtures, 'empty_invalid.json')).toEqual([]);
    expect(fixtureProblems(uptimeAdapter(), fixtures, 'empty.json')[0]).toContain(
      'empty.json: threw AkmatoriError',
    );
  });
});

describe('tool provider and notifier contracts', () => {
  const clock = defineToolProvider({
    id: 'clock',
    displayName: 'Clock',
    credentialSchema: {
      type: 'object',
      properties: { zone: { type: 'string', description: 'IANA time zone.' } },
    },
    tools: [
      {
        name: 'now',
        description: 'The current time',
        inputSchema: emptyObjectSchema,
        readOnly: true,
        execute: async (context) => ({ text: `12:00 ${String(context.credentials.zone)}` }),
      },
    ],
  });

  it('passes a sound provider and calls its tool as the gateway would', async () => {
    expect(checkToolProviderContract(clock)).toEqual([]);
    const { result } = await callTool(clock, 'now', { zone: 'UTC' }, {});
    expect(result.text).toBe('12:00 UTC');
    expect(() => toolOf(clock, 'later')).toThrow(
      'tool provider clock has no tool later (it has: now)',
    );
  });

  it('reports fields without a description, secrets that are not strings, no tools', () => {
    const careless = {
      ...clock,
      credentialSchema: {
        type: 'object' as const,
        properties: { port: { type: 'integer' as const, secret: true } },
      },
      tools: [],
    };
    expect(checkToolProviderContract(careless)).toEqual([
      'offers no tools',
      'credentialSchema.port has no description',
      'credentialSchema.port is secret but not a string',
    ]);
  });

  it('reports a notifier the host refuses and config fields without a description', () => {
    const notifier = defineNotifier({
      id: 'File',
      displayName: 'File',
      configSchema: { type: 'object', properties: { path: { type: 'string' } } },
      onIncidentEvent: async () => {},
    });
    expect(checkNotifierContract(notifier)[0]).toContain('the plugin host refuses it');
    expect(checkNotifierContract({ ...notifier, id: 'file' })).toEqual([
      'configSchema.path has no description',
    ]);
  });
});
