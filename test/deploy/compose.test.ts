import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createAjv } from '@akmatori/core';
import { configEnvironment, type ConfigKey, configSchema } from '@akmatori/host';
import { describe, expect, it } from 'vitest';
import {
  parseEnvFile,
  readComposeFile,
  readRepoFile,
  repoRoot,
  variablesIn,
  type ComposeService,
} from './compose-file.js';
import { allOf, effective, execForm, parseDockerfile } from './dockerfile.js';

// The static half of the compose proof (issue 15): docker-compose.yml read as Docker reads it,
// validated against the Compose Specification's schema, and held to the deployment's design.
// test/deploy/topology.test.ts runs the same design with real processes.

const compose = readComposeFile();
const services = compose.services;
const dockerfile = parseDockerfile(readRepoFile('deploy/docker/Dockerfile'));
const envExample = parseEnvFile(readRepoFile('.env.example'));
const cli = fileURLToPath(new URL('app/dist/cli.js', repoRoot));

/** The services built from our Dockerfile, with the stage each is built from. */
const built = Object.entries(services).filter(
  (entry): entry is [string, ComposeService & { build: { target: string } }] =>
    entry[1].build?.target !== undefined,
);
const longRunning = Object.entries(services).filter(([, service]) => service.restart !== 'no');

/** What each network must hold: the matrix of the issue (the one-shot migrate is on data). */
const networkMatrix: Record<string, string[]> = {
  edge: ['api', 'gateway', 'nginx'],
  data: ['api', 'gateway', 'migrate', 'postgres'],
  agent: ['api', 'gateway', 'worker'],
};

/** The settings whose values are secrets (config schema `secret: true`), by variable name. */
const secretVariables = [
  ...Object.entries(configSchema.properties)
    .filter(([, schema]) => 'secret' in schema && schema.secret === true)
    .map(([key]) => configEnvironment[key as ConfigKey].name),
  'POSTGRES_PASSWORD',
  'GATEWAY_DB_PASSWORD',
];

function commandOf(service: ComposeService): string[] {
  if (service.command !== undefined) return service.command;
  return execForm(effective(dockerfile, service.build!.target!, 'CMD'));
}

function userOf(service: ComposeService): string | undefined {
  return (
    service.user ??
    (service.build ? effective(dockerfile, service.build.target!, 'USER') : undefined)
  );
}

describe('docker-compose.yml', () => {
  it('is valid against the Compose Specification schema', () => {
    const schema = JSON.parse(readRepoFile('test/deploy/schemas/compose-spec.json')) as Record<
      string,
      unknown
    >;
    delete schema.$schema; // draft-07, ajv's default
    const validate = createAjv({ strict: false, allErrors: true }).compile(schema);
    const valid = validate(compose);
    expect(validate.errors ?? [], 'schema errors').toEqual([]);
    expect(valid).toBe(true);
  });

  it('puts each service on exactly the networks of the design', () => {
    const members = Object.fromEntries(
      Object.keys(compose.networks).map((network) => [
        network,
        Object.entries(services)
          .filter(([, service]) => (service.networks ?? []).includes(network))
          .map(([name]) => name)
          .sort(),
      ]),
    );
    expect(members).toEqual(networkMatrix);
    expect(services.worker?.networks, 'the worker is on the agent network only').toEqual(['agent']);
    expect(services.postgres?.networks, 'PostgreSQL is on the data network only').toEqual(['data']);
    expect(services.nginx?.networks, 'nginx is on the edge network only').toEqual(['edge']);
  });

  it('makes data and agent internal (no way out) and leaves edge routed', () => {
    expect(compose.networks.data?.internal).toBe(true);
    expect(compose.networks.agent?.internal).toBe(true);
    expect(compose.networks.edge?.internal ?? false).toBe(false);
  });

  it('publishes ports for nginx only, on its unprivileged HTTP and HTTPS ports', () => {
    const publishing = Object.entries(services)
      .filter(([, service]) => (service.ports ?? []).length > 0)
      .map(([name]) => name);
    expect(publishing).toEqual(['nginx']);
    const containerPorts = (services.nginx!.ports ?? []).map((port) => port.split(':').at(-1));
    expect(containerPorts).toEqual(['8080', '8443']);
  });

  it('runs every service as a user other than root', () => {
    for (const [name, service] of Object.entries(services)) {
      const user = userOf(service);
      expect(user, `${name} names its user`).toBeDefined();
      expect(['root', '0', '0:0'], `${name} runs as ${user}`).not.toContain(user);
    }
  });

  it('gives every long-running service a healthcheck', () => {
    for (const [name, service] of longRunning) {
      expect(service.healthcheck?.disable, `${name} keeps its healthcheck`).not.toBe(true);
      const fromImage =
        service.build !== undefined
          ? effective(dockerfile, service.build.target!, 'HEALTHCHECK')
          : undefined;
      expect(service.healthcheck?.test ?? fromImage, `${name} has a healthcheck`).toBeDefined();
    }
  });

  it('starts our processes under an init that forwards signals and reaps children', () => {
    for (const [name, service] of built) {
      const entrypoint = execForm(effective(dockerfile, service.build.target, 'ENTRYPOINT'));
      expect(service.init === true || entrypoint[0] === '/usr/bin/tini', name).toBe(true);
    }
  });

  it('drops every capability and privilege escalation', () => {
    for (const [name, service] of Object.entries(services)) {
      expect(service.cap_drop, name).toEqual(['ALL']);
      expect(service.security_opt, name).toContain('no-new-privileges:true');
    }
  });

  it('migrates once, before the API and the gateway start, and grants the gateway its role', () => {
    expect(commandOf(services.migrate!)).toEqual([
      'node',
      'app/dist/cli.js',
      'migrate',
      '--gateway-role',
      'akmatori_gateway',
    ]);
    for (const name of ['api', 'gateway']) {
      expect(services[name]?.depends_on?.migrate?.condition, name).toBe(
        'service_completed_successfully',
      );
    }
    expect(services.api?.environment?.AKMATORI_MIGRATE_ON_START).toBe('false');
    expect(services.gateway?.environment?.GATEWAY_DATABASE_URL).toMatch(
      /^postgres:\/\/akmatori_gateway:/,
    );
    expect(readRepoFile('deploy/postgres/initdb/10-gateway-role.sh')).toContain(
      'create role akmatori_gateway login',
    );
  });

  it('gives the worker its token and nothing else secret', () => {
    const workerEnv = Object.keys(services.worker?.environment ?? {});
    expect(workerEnv.filter((name) => secretVariables.includes(name))).toEqual([
      'AKMATORI_WORKER_TOKEN',
    ]);
    expect(services.worker?.environment?.AKMATORI_AGENT_SANDBOX).toBe('container');
    expect(services.worker?.volumes ?? [], 'no data volume on the worker').toEqual([]);
  });

  it('takes every secret from .env, never a value written in the file', () => {
    for (const [name, service] of Object.entries(services)) {
      for (const [variable, value] of Object.entries(service.environment ?? {})) {
        if (!secretVariables.includes(variable) && !/PASSWORD|SECRET|TOKEN/.test(variable))
          continue;
        expect(variablesIn(String(value)).length, `${name} ${variable}`).toBeGreaterThan(0);
      }
    }
  });

  it('sets only settings Akmatori knows on its services (a misspelt one would be ignored)', () => {
    const known = new Set(Object.values(configEnvironment).map(({ name }) => name));
    for (const name of ['migrate', 'api', 'gateway', 'worker']) {
      const unknown = Object.keys(services[name]?.environment ?? {}).filter((v) => !known.has(v));
      expect(unknown, name).toEqual([]);
    }
  });

  it('names in each URL a service that shares a network with the one using it', () => {
    const names = new Set(Object.keys(services));
    for (const [name, service] of Object.entries(services)) {
      for (const [variable, value] of Object.entries(service.environment ?? {})) {
        const host = /^[a-z]+:\/\/(?:[^@/]*@)?([^:/]+)/.exec(String(value))?.[1];
        if (host === undefined || !names.has(host)) continue;
        const shared = (services[host]!.networks ?? []).filter((network) =>
          (service.networks ?? []).includes(network),
        );
        expect(shared, `${name} ${variable} reaches ${host}`).not.toEqual([]);
      }
    }
  });

  it('documents in .env.example every variable it reads', () => {
    const used = new Set(variablesIn(readRepoFile('docker-compose.yml')));
    expect([...used].filter((name) => !(name in envExample))).toEqual([]);
    for (const name of secretVariables.filter((secret) => secret in envExample))
      expect(envExample[name], `.env.example leaves ${name} empty`).toBe('');
  });
});

describe('deploy/docker/Dockerfile', () => {
  it('builds on Node 24 slim in stages, with the production dependencies only at run time', () => {
    expect(readRepoFile('deploy/docker/Dockerfile')).toContain('ARG NODE_IMAGE=node:24-slim');
    const runs = allOf(dockerfile, 'runtime-deps', 'RUN').join('\n');
    expect(runs).toContain('npm ci --omit=dev');
    expect(runs).not.toContain('--omit=optional');
    const build = allOf(dockerfile, 'build', 'RUN').join('\n');
    expect(build).toContain('npm ci');
    expect(build).toContain('tsc -b tsconfig.build.json');
    expect(build).toContain('build:web');
  });

  it('labels, runs as node with NODE_ENV=production, under tini, with a healthcheck', () => {
    for (const target of ['api', 'gateway', 'worker']) {
      expect(effective(dockerfile, target, 'USER'), target).toBe('node');
      expect(allOf(dockerfile, target, 'ENV').join(' '), target).toContain('NODE_ENV=production');
      expect(execForm(effective(dockerfile, target, 'ENTRYPOINT'))).toEqual([
        '/usr/bin/tini',
        '--',
      ]);
      expect(effective(dockerfile, target, 'HEALTHCHECK'), target).toContain(
        `/app/healthcheck.mjs", "${target}"`,
      );
      const labels = allOf(dockerfile, target, 'LABEL').join(' ');
      for (const label of ['title', 'version', 'revision', 'source', 'licenses'])
        expect(labels, target).toContain(`org.opencontainers.image.${label}=`);
    }
    expect(allOf(dockerfile, 'runtime', 'RUN').join(' ')).toMatch(/apt-get install .*\btini\b/);
  });

  it('copies into each image what its services run, and the built command line has it', () => {
    for (const [name, service] of built) {
      const command = commandOf(service);
      expect(command.slice(0, 2), name).toEqual(['node', 'app/dist/cli.js']);
      expect(allOf(dockerfile, service.build.target, 'COPY'), name).toContain(
        '--from=build /dist-tree/ ./',
      );
      const help = spawnSync(process.execPath, [cli, command[2]!, '--help'], { encoding: 'utf8' });
      expect(help.status, `${name}: akmatori ${command[2]} --help\n${help.stderr}`).toBe(0);
      for (const option of command.slice(3).filter((arg) => arg.startsWith('--')))
        expect(help.stdout, `${name}: ${option}`).toContain(option);
    }
    expect(allOf(dockerfile, 'build', 'RUN').join('\n'), 'the build output').toContain(
      'cp -r --parents packages/*/dist app/dist app/skills /dist-tree/',
    );
    expect(allOf(dockerfile, 'api', 'COPY').join('\n'), 'the dashboard').toContain(
      '/src/app/web/dist/ app/web/dist/',
    );
  });

  it('puts the pinned Codex CLI, a shell and diagnostic tools in the worker image', () => {
    const runs = allOf(dockerfile, 'worker', 'RUN').join('\n');
    expect(runs).toContain('node node_modules/@openai/codex/bin/codex.js --version');
    for (const tool of ['bash', 'curl', 'dnsutils', 'iproute2', 'iputils-ping', 'jq', 'procps'])
      expect(runs, tool).toMatch(new RegExp(`apt-get install[^\\n]*\\b${tool}\\b`));
    const pinned = (
      JSON.parse(readRepoFile('packages/runner-codex/package.json')) as {
        dependencies: Record<string, string>;
      }
    ).dependencies['@openai/codex'];
    expect(pinned, 'an exact version').toMatch(/^\d+\.\d+\.\d+$/);
    const lock = JSON.parse(readRepoFile('package-lock.json')) as {
      packages: Record<string, { version?: string }>;
    };
    expect(lock.packages['node_modules/@openai/codex']?.version).toBe(pinned);
  });

  it('bakes no secret into an image', () => {
    const text = readRepoFile('deploy/docker/Dockerfile');
    for (const name of secretVariables) expect(text, name).not.toMatch(new RegExp(`\\b${name}\\b`));
    const ignored = readRepoFile('.dockerignore').split('\n');
    for (const entry of ['.env', '**/node_modules', 'data', 'deploy/nginx/certs'])
      expect(ignored, entry).toContain(entry);
  });
});

describe('deploy/nginx', () => {
  it('mounts the shipped configuration and starts nginx with it', () => {
    expect(services.nginx?.volumes).toContain('./deploy/nginx:/etc/nginx/akmatori:ro');
    expect(services.nginx?.command?.join(' ')).toContain(
      '-c /etc/nginx/akmatori/${AKMATORI_NGINX_CONF:-nginx.conf}',
    );
  });

  it('sends nothing to the gateway and refuses its paths', () => {
    const routes = readRepoFile('deploy/nginx/akmatori-routes.conf');
    for (const file of ['nginx.conf', 'nginx-tls.conf', 'akmatori-routes.conf']) {
      const text = readRepoFile(`deploy/nginx/${file}`);
      expect(text, file).not.toMatch(/gateway:8081|proxy_pass\s+http:\/\/gateway/);
    }
    expect(routes).toMatch(/location \^~ \/mcp \{\s*return 404;/);
    expect(routes).toMatch(/location \^~ \/v1\/ \{\s*return 404;/);
    expect(routes).toMatch(/location \^~ \/ws\/worker \{\s*return 404;/);
    for (const prefix of ['/ws/', '/webhook/', '/slack/', '/api/'])
      expect(routes, prefix).toMatch(
        new RegExp(
          `location \\^~ ${prefix.replaceAll('/', '\\/')} \\{\\s*proxy_pass http://akmatori_api;`,
        ),
      );
  });
});
