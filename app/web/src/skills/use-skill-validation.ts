import { watchDebounced } from '@vueuse/core';
import { ref, type Ref } from 'vue';
import { api, call } from '../api/client';
import type { components } from '../api/schema';

/** One finding of the validator: the field and what is wrong with it. */
export type SkillProblem = NonNullable<components['schemas']['Skill']['warnings']>[number];

/** What the editor shows under the text. */
export interface SkillValidation {
  /** The API's verdict on the text last checked; undefined before the first answer. */
  readonly result: Ref<
    { valid: boolean; problems: SkillProblem[]; warnings: SkillProblem[] } | undefined
  >;
  /** True while a check is waiting or under way. */
  readonly checking: Ref<boolean>;
  /** Why the check itself failed (the API unreachable, say). */
  readonly error: Ref<unknown>;
}

/** How long typing must pause before the text is checked. */
const PAUSE_MS = 300;

/**
 * Checks the SKILL.md text with `POST /api/skills/validate` whenever it stops changing for a
 * moment; an answer about text that has changed since is dropped, and empty text is not checked.
 *
 * @example
 * ```ts
 * const { result } = useSkillValidation(text, () => 'disk-full');
 * ```
 */
export function useSkillValidation(
  text: Ref<string>,
  directoryName: () => string | undefined,
): SkillValidation {
  const result: SkillValidation['result'] = ref();
  const checking = ref(false);
  const error = ref<unknown>();
  let asked = 0;

  const check = async (): Promise<void> => {
    const ticket = ++asked;
    // Nothing to judge yet (a skill still loading): no verdict rather than a page of problems.
    if (text.value === '') {
      result.value = undefined;
      checking.value = false;
      return;
    }
    const name = directoryName();
    try {
      const answer = await call(
        api.POST('/api/skills/validate', {
          body: { content: text.value, ...(name === undefined ? {} : { name }) },
        }),
      );
      if (ticket !== asked) return;
      result.value = answer;
      error.value = undefined;
    } catch (failure) {
      if (ticket === asked) error.value = failure;
    } finally {
      if (ticket === asked) checking.value = false;
    }
  };

  watchDebounced(
    text,
    () => {
      void check();
    },
    { debounce: PAUSE_MS, immediate: true },
  );
  watchDebounced(text, () => (checking.value = true), { debounce: 0 });
  return { result, checking, error };
}
