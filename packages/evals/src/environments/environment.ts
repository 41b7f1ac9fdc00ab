/**
 * The contract every environment kind of the eval harness implements: a factory that builds a
 * real, deliberately broken environment on loopback (an sshd host, a Prometheus with exporters,
 * a Zabbix, ...) and tells the harness which Akmatori tool instances reach it.
 *
 * @example
 * ```ts
 * const echoKind: EnvironmentKind<{ readonly port: number }> = {
 *   kind: 'echo',
 *   specSchema: { type: 'object', required: ['port'], properties: { port: { type: 'integer' } } },
 *   async build(spec) {
 *     return { toolInstances: [], facts: { port: String(spec.port) }, stop: async () => {} };
 *   },
 * };
 * ```
 */

/** A tool instance the harness creates in Akmatori (POST /api/tools) for a built environment. */
export interface EnvironmentToolInstance {
  readonly type: string; // 'ssh' | 'zabbix' | 'prometheus' | 'alertmanager' | plugin type
  readonly name: string; // unique in the scenario, e.g. 'web-1-ssh'
  readonly settings: Readonly<Record<string, unknown>>;
  readonly credentials: Readonly<Record<string, unknown>>;
}
/** A running environment: what it offers Akmatori, and how to tear it down. */
export interface BuiltEnvironment {
  readonly toolInstances: readonly EnvironmentToolInstance[];
  /** Values a scenario's alert files may reference as {{name}} (host names, ports, ...). */
  readonly facts: Readonly<Record<string, string>>;
  stop(): Promise<void>;
}
/** One kind of environment (`kind:` in scenario.yaml), its spec validated by `specSchema`. */
export interface EnvironmentKind<Spec = unknown> {
  readonly kind: string;
  readonly specSchema: Readonly<Record<string, unknown>>; // JSON Schema
  build(
    spec: Spec,
    context: { readonly workDir: string; readonly name: string },
  ): Promise<BuiltEnvironment>;
}
