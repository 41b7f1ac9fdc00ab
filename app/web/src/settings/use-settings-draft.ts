import {
  useMutation,
  useQuery,
  useQueryClient,
  type UseMutationReturnType,
  type UseQueryReturnType,
} from '@tanstack/vue-query';
import { ref, watch, type Ref } from 'vue';

/** How one settings tab loads, copies into a draft, and saves its settings. */
export interface SettingsDraftOptions<Stored, Draft> {
  /** The query key the stored settings live under, e.g. `['settings', 'budgets']`. */
  key: readonly string[];
  /** Reads the stored settings. */
  load: () => Promise<Stored>;
  /** A fresh, editable copy of the stored settings. */
  toDraft: (stored: Stored) => Draft;
  /** Writes the draft (given the settings stored now, if loaded); answers them as now stored. */
  save: (draft: Draft, stored: Stored | undefined) => Promise<Stored>;
  /** Called once the stored settings were replaced by the saved ones. */
  onSaved?: (stored: Stored) => void;
}

/** A settings tab's stored settings, the draft being edited, and the save of that draft. */
export interface SettingsDraft<Stored, Draft, Current extends Draft | undefined> {
  stored: UseQueryReturnType<Stored, Error>;
  draft: Ref<Current>;
  save: UseMutationReturnType<Stored, Error, void, unknown>;
}

/**
 * Loads settings, keeps an editable draft of them (renewed whenever the stored ones change, and
 * after each save) and saves the draft, putting the answer in the query cache.
 *
 * @example
 * ```ts
 * const { stored, draft, save } = useSettingsDraft({
 *   key: ['settings', 'retention'],
 *   load: () => call(api.GET('/api/settings/retention')),
 *   toDraft: (retention) => ({ ...retention }),
 *   save: (body) => call(api.PUT('/api/settings/retention', { body })),
 * });
 * ```
 */
export function useSettingsDraft<Stored, Draft>(
  options: SettingsDraftOptions<Stored, Draft> & { initial: Draft },
): SettingsDraft<Stored, Draft, Draft>;
export function useSettingsDraft<Stored, Draft>(
  options: SettingsDraftOptions<Stored, Draft>,
): SettingsDraft<Stored, Draft, Draft | undefined>;
export function useSettingsDraft<Stored, Draft>(
  options: SettingsDraftOptions<Stored, Draft> & { initial?: Draft },
): SettingsDraft<Stored, Draft, Draft | undefined> {
  const queryClient = useQueryClient();
  const stored = useQuery({ queryKey: options.key, queryFn: options.load });
  const draft = ref(options.initial) as Ref<Draft | undefined>;
  watch(
    () => stored.data.value,
    (settings) => {
      if (settings !== undefined) draft.value = options.toDraft(settings);
    },
    { immediate: true },
  );
  const save = useMutation({
    mutationFn: () => {
      if (draft.value === undefined) throw new Error('The settings have not loaded yet.');
      return options.save(draft.value, stored.data.value);
    },
    onSuccess: (settings: Stored) => {
      queryClient.setQueryData(options.key, settings);
      draft.value = options.toDraft(settings);
      options.onSaved?.(settings);
    },
  });
  return { stored, draft, save };
}
