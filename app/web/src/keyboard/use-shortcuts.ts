import { onKeyStroke } from '@vueuse/core';
import { inject, onBeforeUnmount, onMounted, provide, type InjectionKey } from 'vue';
import { createKeySequenceMatcher } from './key-sequence';
import { shortcuts, type DashboardShortcut, type ShortcutName } from './shortcuts';

/** What each named shortcut does where it is bound. */
export type ShortcutHandlers = Partial<Record<ShortcutName, (event: KeyboardEvent) => void>>;

interface BoundShortcut extends DashboardShortcut {
  readonly run: (event: KeyboardEvent) => void;
}

interface ShortcutRegistry {
  bind(handlers: ShortcutHandlers): () => void;
}

const registryKey: InjectionKey<ShortcutRegistry> = Symbol('keyboard shortcuts');

/**
 * Listens to the keyboard for the whole app (the shell calls it once, with the shortcuts it
 * handles itself) and lets components below bind theirs with {@link useShortcuts}. A later
 * binding of the same shortcut (a page's) wins over the shell's while it is mounted.
 *
 * @example
 * ```ts
 * provideShortcuts({ help: () => (showHelp.value = true) }); // in AppShell's setup
 * ```
 */
export function provideShortcuts(shellHandlers: ShortcutHandlers): void {
  const bindings: ShortcutHandlers[] = [shellHandlers];
  const matcher = createKeySequenceMatcher();

  function active(): BoundShortcut[] {
    return (Object.keys(shortcuts) as ShortcutName[]).flatMap((name) => {
      const run = bindings.findLast((handlers) => handlers[name] !== undefined)?.[name];
      return run === undefined ? [] : [{ ...shortcuts[name], run }];
    });
  }

  onKeyStroke((event) => {
    if (event.defaultPrevented) return;
    // An open modal dialog has the keyboard to itself, wherever the focus is (naive-ui's focus
    // trap may hold it on an element outside the dialog's box).
    if (document.querySelector('[aria-modal="true"]') !== null) {
      matcher.reset();
      return;
    }
    const outcome = matcher.press(event, active());
    if (outcome.kind === 'ignored') return;
    // A shortcut's key does nothing else: `/` must not type itself into the search it focuses.
    event.preventDefault();
    if (outcome.kind === 'matched') outcome.shortcut.run(event);
  });

  provide(registryKey, {
    bind(handlers) {
      bindings.push(handlers);
      return () => {
        const index = bindings.indexOf(handlers);
        if (index >= 0) bindings.splice(index, 1);
      };
    },
  });
}

/**
 * Binds named shortcuts while the calling component is mounted.
 *
 * @example
 * ```ts
 * useShortcuts({ search: () => searchInput.value?.focus() });
 * ```
 */
export function useShortcuts(handlers: ShortcutHandlers): void {
  const registry = inject(registryKey, null);
  if (registry === null) return;
  let unbind: (() => void) | undefined;
  onMounted(() => {
    unbind = registry.bind(handlers);
  });
  onBeforeUnmount(() => unbind?.());
}
