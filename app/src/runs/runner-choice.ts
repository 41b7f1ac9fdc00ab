import type { PluginHost, Runner } from '@akmatori/core';
import { CODEX_RUNNER_ID } from '@akmatori/runner-codex';
import { AppErrors } from '../errors.js';

/** Where the default runner is stored in `settings`. */
const SETTING = 'runner';

/** An installed runner, as the API lists it. */
export interface InstalledRunner {
  readonly id: string;
  readonly display_name: string;
}

/** The `runner` setting: the runner of incidents whose alert source names none. */
export interface RunnerSetting {
  readonly default_runner: string;
  /** Every installed runner, the built-in `codex` first. */
  readonly installed: readonly InstalledRunner[];
}

/** The settings store, as far as the runner choice needs it. */
interface SettingsStore {
  get<T>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown): Promise<void>;
}

/**
 * Which runner carries out an incident's runs: the one its alert source names, else the
 * `runner` setting, else `codex` (the built-in runner, on the workers). Ids are checked against
 * the installed runners when they are set, and again when a run starts (a plugin may be gone).
 */
export class RunnerChoice {
  readonly #plugins: Pick<PluginHost, 'runners' | 'runner'>;
  readonly #settings: SettingsStore;

  constructor(deps: { plugins: Pick<PluginHost, 'runners' | 'runner'>; settings: SettingsStore }) {
    this.#plugins = deps.plugins;
    this.#settings = deps.settings;
  }

  /** Every installed runner, the built-in `codex` first. */
  installed(): InstalledRunner[] {
    return installedRunners(this.#plugins);
  }

  /** Throws `AKM_UNKNOWN_RUNNER` (400, naming the installed ones) unless `id` is installed. */
  check(id: string): void {
    checkRunnerId(this.#plugins, id);
  }

  /** The default runner and the installed ones. */
  async setting(): Promise<RunnerSetting> {
    const stored = await this.#settings.get<{ default_runner?: string }>(SETTING);
    return {
      default_runner: stored?.default_runner ?? CODEX_RUNNER_ID,
      installed: this.installed(),
    };
  }

  /** Sets the default runner after checking it is installed. */
  async setDefault(id: string): Promise<RunnerSetting> {
    this.check(id);
    await this.#settings.set(SETTING, { default_runner: id });
    return this.setting();
  }

  /**
   * The runner for an incident of a source naming `sourceRunner` (null: none). Throws
   * `AKM_UNKNOWN_RUNNER` when the chosen one is not installed (the run then fails, saying so).
   */
  async choose(sourceRunner: string | null | undefined): Promise<Runner> {
    const id = sourceRunner ?? (await this.setting()).default_runner;
    this.check(id);
    return this.#plugins.runner(id)!;
  }
}

/** Every runner registered in `plugins`, the built-in `codex` first. */
export function installedRunners(plugins: Pick<PluginHost, 'runners'>): InstalledRunner[] {
  return [...plugins.runners]
    .sort((a, b) => Number(b.id === CODEX_RUNNER_ID) - Number(a.id === CODEX_RUNNER_ID))
    .map((runner) => ({ id: runner.id, display_name: runner.displayName }));
}

/** Throws `AKM_UNKNOWN_RUNNER` (400, naming the installed ones) unless `id` is installed. */
export function checkRunnerId(plugins: Pick<PluginHost, 'runners' | 'runner'>, id: string): void {
  if (plugins.runner(id) === undefined)
    throw AppErrors.AKM_UNKNOWN_RUNNER({
      runner: id,
      installed: installedRunners(plugins).map((runner) => runner.id),
    });
}
