import type { ComputedRef, InjectionKey } from 'vue';
import type { Draft } from './form-draft';
import type { FieldPath } from './schema-node';

/** What the fields of a generated form share: its draft and what is wrong with it. */
export interface FormContext {
  /** Prefix of every field's element id. */
  readonly idPrefix: string;
  /** The value at a path of the draft. */
  get(path: FieldPath): unknown;
  /** Sets the value at a path of the draft. */
  set(path: FieldPath, value: unknown): void;
  /** Secrets already stored (`hosts.0.password`): blank keeps them. */
  readonly storedSecrets: ReadonlySet<string>;
  /** The problem shown under each field, once the user has tried to save. */
  readonly shownProblems: ComputedRef<Readonly<Record<string, string>>>;
}

/** Injection key of {@link FormContext}. */
export const formContextKey: InjectionKey<FormContext> = Symbol('schema-form');

/** The value at `path` in a draft. */
export function valueAt(draft: Draft, path: FieldPath): unknown {
  let current: unknown = draft;
  for (const step of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string | number, unknown>)[step];
  }
  return current;
}

/** Sets the value at `path` in a draft (whose parents exist). */
export function setAt(draft: Draft, path: FieldPath, value: unknown): void {
  const parent = valueAt(draft, path.slice(0, -1));
  const last = path[path.length - 1];
  if (typeof parent === 'object' && parent !== null && last !== undefined)
    (parent as Record<string | number, unknown>)[last] = value;
}
