import { shellQuote, writeFileLines } from './shell.js';

/** What {@link supervisorScript} supervises. */
export interface SupervisedService {
  /** The service name, e.g. `checkout-worker`. */
  readonly service: string;
  /** The program it runs (any executable path inside the host). */
  readonly program: string;
  /** Its arguments. */
  readonly args?: readonly string[];
  /** Where the program's output and the supervisor's restarts are logged. */
  readonly log: string;
  /** Seconds between restarts. */
  readonly restartDelaySeconds: number;
  /**
   * Exits after this many failed starts, logging that it gives up (systemd's start limit);
   * without it the supervisor restarts the program for as long as the host runs.
   */
  readonly startLimit?: number;
}

/**
 * Where the supervisor of `service` is written inside the host: `/opt/supervise/SERVICE/run`,
 * runit's layout, so its process name (`run`) differs from the service's and `pkill -x SERVICE`
 * stops the service, which the supervisor then restarts, not the supervisor.
 */
export function supervisorPath(service: string): string {
  return `/opt/supervise/${service}/run`;
}

/**
 * A sh supervisor (`/opt/supervise/SERVICE/run`) that runs the program, appends its output and an
 * "exited with status N; restart #K" line to the log, waits, and starts it again.
 *
 * @example
 * ```ts
 * supervisorScript({ service: 'worker', program: '/opt/worker/bin/worker', log: '/var/log/worker.log', restartDelaySeconds: 2 });
 * ```
 */
export function supervisorScript(supervised: SupervisedService): string {
  const { service, program, restartDelaySeconds: delay, startLimit } = supervised;
  const log = shellQuote(supervised.log);
  const command = [program, ...(supervised.args ?? [])].map(shellQuote).join(' ');
  const now = '"$(date -u +%Y-%m-%dT%H:%M:%SZ)"';
  const giveUp =
    startLimit === undefined
      ? []
      : [
          `  if [ "$restarts" -ge ${startLimit} ]; then`,
          `    printf '%s supervise[%s]: %s failed %s times in a row; start limit hit, giving up (not restarting)\\n' ${now} ${shellQuote(service)} ${shellQuote(service)} "$restarts" >> ${log}`,
          '    exit 1',
          '  fi',
        ];
  return [
    '#!/bin/sh',
    `# supervises ${service}: restarts it whenever it exits`,
    'restarts=0',
    'while :; do',
    `  printf '%s supervise[%s]: starting %s\\n' ${now} ${shellQuote(service)} ${shellQuote(program)} >> ${log}`,
    `  ${command} >> ${log} 2>&1`,
    '  status=$?',
    '  restarts=$((restarts + 1))',
    ...giveUp,
    `  printf '%s supervise[%s]: %s exited with status %s; restart #%s in %ss\\n' ${now} ${shellQuote(service)} ${shellQuote(service)} "$status" "$restarts" ${delay} >> ${log}`,
    `  sleep ${delay}`,
    'done',
    '',
  ].join('\n');
}

/**
 * Setup lines that write the supervisor of a service (at {@link supervisorPath}), create its log
 * and start it: in the background, or with `foreground` until it exits (a supervisor with a
 * start limit, whose giving up is the state the host is built for).
 */
export function superviseLines(
  supervised: SupervisedService,
  options: { readonly foreground?: boolean } = {},
): string[] {
  const path = supervisorPath(supervised.service);
  const log = shellQuote(supervised.log);
  const start = `${shellQuote(path)} < /dev/null > /dev/null 2>&1`;
  return [
    ...writeFileLines(path, supervisorScript(supervised), '0755'),
    `mkdir -p "$(dirname ${log})"`,
    `touch ${log}`,
    options.foreground === true ? `${start} || true` : `${start} &`,
  ];
}
