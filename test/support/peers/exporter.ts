import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A tiny Prometheus exporter whose gauges a test sets, to make alert rules fire and resolve. */
export interface TestExporter {
  /** `host:port` to put in a scrape config. */
  readonly target: string;
  /** Sets gauge `name` (a valid metric name) to `value`; it is served from the next scrape on. */
  set(name: string, value: number): void;
  /** The text `/metrics` serves now. */
  metricsText(): string;
  stop(): Promise<void>;
}

/**
 * Serves `/metrics` in the Prometheus text format on a free 127.0.0.1 port.
 *
 * @example
 * ```ts
 * const exporter = await startTestExporter();
 * exporter.set('akmatori_test_queue_depth', 42);
 * await exporter.stop();
 * ```
 */
export async function startTestExporter(): Promise<TestExporter> {
  const gauges = new Map<string, number>();
  const metricsText = (): string =>
    [...gauges].map(([name, value]) => `# TYPE ${name} gauge\n${name} ${value}\n`).join('');
  const server = createServer((req, res) => {
    if (req.url !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
    res.end(metricsText());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    target: `127.0.0.1:${port}`,
    set(name, value) {
      if (!/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(name)) throw new TypeError(`bad metric name ${name}`);
      gauges.set(name, value);
    },
    metricsText,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
