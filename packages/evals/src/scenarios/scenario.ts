import type { EnvironmentEntry } from '../environments/environment-registry.js';
import type { ScenarioSourceType } from './scenario-schema.js';

/** A tool call the checks look for: its name and, optionally, arguments matching regexes. */
export interface ToolCallPattern {
  /** `<tool instance>__<tool>`; `*` matches any run of characters. */
  readonly tool: string;
  /** Argument name → regex (case-insensitive). */
  readonly arguments_match?: Readonly<Record<string, string>>;
}

/** A tool call that must have happened, and whose output shows the breakage. */
export interface EvidenceExpectation extends ToolCallPattern {
  /** Regex (case-insensitive) the call's output must match. */
  readonly output_match: string;
}

/** What the scenario allows the agent to change. */
export type WritesExpectation = 'none' | { readonly after_approval: readonly ToolCallPattern[] };

/** What a correct investigation of the scenario establishes, and its budget. */
export interface ScenarioExpectations {
  /** Accepted answers: each a list of regexes that must all match the report's Root cause. */
  readonly root_cause: readonly (readonly string[])[];
  readonly evidence: readonly EvidenceExpectation[];
  readonly forbidden_tools?: readonly string[];
  readonly allowed_tools?: readonly string[];
  readonly writes: WritesExpectation;
  readonly budget: {
    readonly max_tokens: number;
    readonly max_cost_usd: number;
    readonly max_tool_calls: number;
  };
}

/** `scenario.yaml` as written, after schema validation. */
export interface ScenarioDefinition {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly source: ScenarioSourceType;
  readonly alerts: readonly string[];
  readonly environment: readonly EnvironmentEntry[];
  readonly skills: readonly string[];
  readonly tools: readonly string[];
  readonly timeout_seconds?: number;
  readonly expect: ScenarioExpectations;
}

/** A skill a scenario enables: a starter skill of the server, or a folder of the scenario. */
export type ScenarioSkill =
  | { readonly name: string; readonly kind: 'starter' }
  | { readonly name: string; readonly kind: 'folder'; readonly dir: string };

/** A loaded scenario: its definition and the absolute paths of its files, all checked. */
export interface Scenario {
  readonly id: string;
  /** Absolute path of the scenario folder. */
  readonly dir: string;
  readonly definition: ScenarioDefinition;
  /** The alert payload files in order: name and text (before {{fact}} substitution). */
  readonly alerts: readonly { readonly file: string; readonly text: string }[];
  readonly skills: readonly ScenarioSkill[];
  /** `trajectories/<name>.json` files of the folder (correct, wrong, ...) by name. */
  readonly trajectories: Readonly<Record<string, string>>;
}
