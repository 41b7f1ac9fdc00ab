import type { HostFault } from '../fault.js';
import { hostPathSchema, programArgsSchema, serviceNameSchema } from '../fault.js';
import { PERL, requireFile } from '../binaries.js';
import { PERL_PRELUDE, perlQuote } from '../perl.js';
import { shellQuote, waitUntilLines, writeFileLines } from '../shell.js';
import { superviseLines } from '../supervisor.js';

/** `port-conflict`: a stray process holds a service's TCP port, so the service crash-loops. */
export interface PortConflictFault {
  readonly kind: 'port-conflict';
  /** The loopback TCP port both want (127.0.0.1:`port`). */
  readonly port: number;
  /** The service name, e.g. `orders-api`. */
  readonly service: string;
  /** The service's program (a Perl script the harness writes). */
  readonly program: string;
  /** Where the service's output and its supervisor's restarts are logged. */
  readonly log: string;
  /** Seconds between restarts (1-30, default 2). */
  readonly restart_delay_seconds?: number;
  /** The process that took the port first. */
  readonly holder: {
    /** Its program (a Perl script the harness writes), e.g. `/tmp/orders-debug`. */
    readonly program: string;
    readonly args?: readonly string[];
    /** Lines it writes to `log` once it listens. */
    readonly log?: string;
    readonly log_lines?: readonly string[];
  };
}

/** Perl lines that bind a listening socket on 127.0.0.1:port into `$server`, or run `onError`. */
function listenLines(port: number, onError: string): string[] {
  return [
    'use Socket;',
    'socket(my $server, PF_INET, SOCK_STREAM, 0) or die "socket: $!\\n";',
    'setsockopt($server, SOL_SOCKET, SO_REUSEADDR, pack(\'l\', 1)) or die "setsockopt: $!\\n";',
    `unless (bind($server, sockaddr_in(${port}, inet_aton('127.0.0.1'))) && listen($server, SOMAXCONN)) { ${onError} }`,
  ];
}

/** Perl lines that answer every HTTP request on `$server` with `body`, forever. */
function serveLines(body: string): string[] {
  return [
    'while (accept(my $client, $server)) {',
    '  while (defined(my $header = <$client>)) { last if $header =~ /^\\r?\\n$/; }',
    `  print $client "HTTP/1.0 200 OK\\r\\nContent-Type: text/plain\\r\\nConnection: close\\r\\n\\r\\n" . ${perlQuote(body)};`,
    '  close($client);',
    '}',
  ];
}

/**
 * Starts the holder listening on 127.0.0.1:`port` (answering HTTP as itself), then the service
 * under a supervisor: each start fails with "bind: Address already in use" in its log and is
 * restarted; `ss -ltnp` shows the holder on the port. Once the holder is stopped, the next
 * restart binds and the service answers on the port.
 *
 * @example
 * ```ts
 * await portConflict.prepare({ kind: 'port-conflict', port: 8080, service: 'orders-api', program: '/opt/orders/bin/orders-api', log: '/var/log/orders/orders-api.log', holder: { program: '/tmp/orders-debug' } }, context);
 * ```
 */
export const portConflict: HostFault<PortConflictFault> = {
  kind: 'port-conflict',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['kind', 'port', 'service', 'program', 'log', 'holder'],
    properties: {
      kind: { const: 'port-conflict' },
      port: { type: 'integer', minimum: 1, maximum: 65535 },
      service: serviceNameSchema,
      program: hostPathSchema,
      log: hostPathSchema,
      restart_delay_seconds: { type: 'integer', minimum: 1, maximum: 30 },
      holder: {
        type: 'object',
        additionalProperties: false,
        required: ['program'],
        properties: {
          program: hostPathSchema,
          args: programArgsSchema,
          log: hostPathSchema,
          log_lines: { type: 'array', maxItems: 50, items: { type: 'string', maxLength: 500 } },
        },
      },
    },
  },
  prepare(spec) {
    requireFile(PERL, 'perl-base');
    const { holder, port } = spec;
    const address = `127.0.0.1:${port}`;
    const holderName = holder.program.slice(holder.program.lastIndexOf('/') + 1);
    const holderLog = holder.log === undefined ? undefined : perlQuote(holder.log);
    const holderProgram = [
      `#!${PERL}`,
      `# ${holderName}: a listener someone started on ${address} and forgot`,
      ...PERL_PRELUDE,
      ...listenLines(port, `die "${holderName}: cannot listen on ${address}: $!\\n";`),
      ...(holderLog === undefined
        ? []
        : [
            `open(my $log, '>>', ${holderLog}) or die "${holderName}: cannot open log: $!\\n";`,
            ...(holder.log_lines ?? []).map((line) => `print $log ${perlQuote(`${line}\n`)};`),
            'close($log);',
          ]),
      ...serveLines(`${holderName}: debug listener on ${address}\n`),
      '',
    ].join('\n');
    const serviceProgram = [
      `#!${PERL}`,
      `# ${spec.service}: serves HTTP on ${address}`,
      ...PERL_PRELUDE,
      `print stamp() . " ${spec.service}[$$]: starting, listening on ${address}\\n";`,
      ...listenLines(
        port,
        `print stamp() . " ${spec.service}[$$]: FATAL: cannot listen on ${address}: bind: $!\\n"; exit 1;`,
      ),
      `print stamp() . " ${spec.service}[$$]: ready, serving on ${address}\\n";`,
      ...serveLines(`${spec.service} ok\n`),
      '',
    ].join('\n');
    const log = shellQuote(spec.log);
    const holderStart = [holder.program, ...(holder.args ?? [])].map(shellQuote).join(' ');
    return Promise.resolve({
      script: [
        ...writeFileLines(holder.program, holderProgram, '0755'),
        ...(holder.log === undefined ? [] : [`mkdir -p "$(dirname ${shellQuote(holder.log)})"`]),
        `${holderStart} < /dev/null > /dev/null 2>&1 &`,
        ...waitUntilLines(
          `ss -Hltn 'sport = :${port}' | grep -q LISTEN`,
          `${holderName} to listen on ${address}`,
        ),
        ...writeFileLines(spec.program, serviceProgram, '0755'),
        ...superviseLines({
          service: spec.service,
          program: spec.program,
          log: spec.log,
          restartDelaySeconds: spec.restart_delay_seconds ?? 2,
        }),
        // Ready once the service has failed to bind at least once.
        ...waitUntilLines(`grep -q 'restart #1 ' ${log}`, `${spec.service} to fail to bind`),
      ],
    });
  },
};
