/** One keyboard shortcut: the keys pressed one after another, and what it does. */
export interface Shortcut {
  /** The `KeyboardEvent.key` of each press, in order: `['g', 'i']`, `['?']`, `['Enter']`. */
  readonly keys: readonly string[];
  /** What it does, as the help dialog lists it: "Go to incidents". */
  readonly description: string;
}

/** What the matcher reads of a `keydown` event (a `KeyboardEvent` is one). */
export interface KeyPress {
  readonly key: string;
  readonly ctrlKey: boolean;
  readonly metaKey: boolean;
  readonly altKey: boolean;
  readonly isComposing?: boolean;
  /** When it happened, in milliseconds (`KeyboardEvent.timeStamp`). */
  readonly timeStamp: number;
  readonly target: EventTarget | null;
}

/** How long the next key of a sequence (`g` then `i`) may wait, in milliseconds. */
export const sequenceTimeoutMs = 1000;

const modifierKeys = new Set(['Shift', 'Control', 'Alt', 'Meta', 'AltGraph', 'CapsLock']);

interface ElementLike {
  readonly tagName?: string;
  readonly isContentEditable?: boolean;
  readonly type?: string;
  closest?(selector: string): unknown;
}

function asElement(target: EventTarget | null): ElementLike | null {
  return target !== null && typeof target === 'object' && 'tagName' in target
    ? (target as ElementLike)
    : null;
}

const textlessInputs = new Set([
  'button',
  'checkbox',
  'radio',
  'submit',
  'reset',
  'range',
  'color',
]);

/**
 * Whether keys pressed on `target` are typing: a text input, a textarea, a select or
 * anything editable. Shortcuts never fire there.
 *
 * @example
 * ```ts
 * isTypingTarget(document.querySelector('textarea')); // true
 * ```
 */
export function isTypingTarget(target: EventTarget | null): boolean {
  const element = asElement(target);
  if (element === null) return false;
  if (element.isContentEditable === true) return true;
  const tag = element.tagName?.toLowerCase();
  if (tag === 'textarea' || tag === 'select') return true;
  if (tag === 'input') return !textlessInputs.has((element.type ?? 'text').toLowerCase());
  return false;
}

/** Whether `target` acts on Enter by itself (a link, a button): a shortcut on Enter leaves it be. */
function handlesEnter(target: EventTarget | null): boolean {
  const element = asElement(target);
  if (element === null) return false;
  const tag = element.tagName?.toLowerCase();
  if (tag === 'a' || tag === 'button' || tag === 'input' || tag === 'summary') return true;
  return typeof element.closest === 'function' && element.closest('[role="button"]') !== null;
}

/** Whether `target` sits in a modal dialog, which has the keyboard to itself. */
function inModal(target: EventTarget | null): boolean {
  const element = asElement(target);
  return typeof element?.closest === 'function' && element.closest('[aria-modal="true"]') !== null;
}

/** What one key press did: ran a shortcut, started or continued a sequence, or nothing. */
export type KeyOutcome<T> =
  | { readonly kind: 'matched'; readonly shortcut: T }
  | { readonly kind: 'pending' }
  | { readonly kind: 'ignored' };

/** Reads key presses one at a time and says which shortcut, if any, they complete. */
export interface KeySequenceMatcher {
  press<T extends Shortcut>(event: KeyPress, shortcuts: readonly T[]): KeyOutcome<T>;
  /** Forgets a half-typed sequence. */
  reset(): void;
}

const startsWith = (keys: readonly string[], prefix: readonly string[]): boolean =>
  prefix.length <= keys.length && prefix.every((key, index) => keys[index] === key);

/**
 * A matcher for shortcuts of one or more keys (`j`, `g i`). Presses with Ctrl, Alt or Meta,
 * presses while typing (inputs, textareas, contenteditable) and presses in a modal dialog
 * never match; a sequence's next key must come within `timeoutMs` of the previous one.
 *
 * @example
 * ```ts
 * const matcher = createKeySequenceMatcher();
 * const shortcuts = [{ keys: ['g', 'i'], description: 'Go to incidents' }];
 * matcher.press({ key: 'g', ctrlKey: false, metaKey: false, altKey: false, timeStamp: 0, target: null }, shortcuts); // pending
 * ```
 */
export function createKeySequenceMatcher(timeoutMs = sequenceTimeoutMs): KeySequenceMatcher {
  let pending: string[] = [];
  let lastAt = Number.NEGATIVE_INFINITY;

  function attempt<T extends Shortcut>(
    keys: string[],
    shortcuts: readonly T[],
    now: number,
  ): KeyOutcome<T> {
    const exact = shortcuts.find(
      (shortcut) => shortcut.keys.length === keys.length && startsWith(shortcut.keys, keys),
    );
    if (exact !== undefined) {
      pending = [];
      return { kind: 'matched', shortcut: exact };
    }
    if (shortcuts.some((shortcut) => startsWith(shortcut.keys, keys))) {
      pending = keys;
      lastAt = now;
      return { kind: 'pending' };
    }
    pending = [];
    return { kind: 'ignored' };
  }

  return {
    press(event, shortcuts) {
      if (modifierKeys.has(event.key)) return { kind: 'ignored' };
      if (
        event.ctrlKey ||
        event.metaKey ||
        event.altKey ||
        event.isComposing === true ||
        isTypingTarget(event.target) ||
        inModal(event.target) ||
        (event.key === 'Enter' && handlesEnter(event.target))
      ) {
        pending = [];
        return { kind: 'ignored' };
      }
      if (event.timeStamp - lastAt > timeoutMs) pending = [];
      if (pending.length > 0) {
        const continued = attempt([...pending, event.key], shortcuts, event.timeStamp);
        if (continued.kind !== 'ignored') return continued;
      }
      // Not a continuation: the key may start a shortcut of its own.
      return attempt([event.key], shortcuts, event.timeStamp);
    },
    reset() {
      pending = [];
    },
  };
}
