// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import {
  createKeySequenceMatcher,
  isTypingTarget,
  sequenceTimeoutMs,
  type KeyPress,
} from './key-sequence';
import { moveSelection, shortcutGroups, shortcuts } from './shortcuts';

const catalogue = Object.values(shortcuts);

function press(key: string, timeStamp: number, extra: Partial<KeyPress> = {}): KeyPress {
  return {
    key,
    timeStamp,
    ctrlKey: false,
    metaKey: false,
    altKey: false,
    target: document.body,
    ...extra,
  };
}

function element(html: string): Element {
  const host = document.createElement('div');
  host.innerHTML = html;
  document.body.append(host);
  return host.querySelector('[data-target]')!;
}

describe('the key sequence matcher', () => {
  it('runs g then i as "Go to incidents"', () => {
    const matcher = createKeySequenceMatcher();
    expect(matcher.press(press('g', 0), catalogue)).toEqual({ kind: 'pending' });
    expect(matcher.press(press('i', 300), catalogue)).toEqual({
      kind: 'matched',
      shortcut: shortcuts.goIncidents,
    });
  });

  it('runs g then a as "Go to approvals"', () => {
    const matcher = createKeySequenceMatcher();
    matcher.press(press('g', 0), catalogue);
    expect(matcher.press(press('a', 100), catalogue)).toEqual({
      kind: 'matched',
      shortcut: shortcuts.goApprovals,
    });
  });

  it('forgets the g when the second key comes after the timeout', () => {
    const matcher = createKeySequenceMatcher();
    matcher.press(press('g', 0), catalogue);
    expect(matcher.press(press('i', sequenceTimeoutMs + 1), catalogue)).toEqual({
      kind: 'ignored',
    });
  });

  it('lets a key that breaks a sequence start its own shortcut', () => {
    const matcher = createKeySequenceMatcher();
    matcher.press(press('g', 0), catalogue);
    expect(matcher.press(press('j', 100), catalogue)).toEqual({
      kind: 'matched',
      shortcut: shortcuts.next,
    });
    // The g was dropped: an i now is just an i.
    expect(matcher.press(press('i', 200), catalogue)).toEqual({ kind: 'ignored' });
  });

  it('runs the one-key shortcuts j, k, /, ? and Enter', () => {
    const matcher = createKeySequenceMatcher();
    expect(matcher.press(press('j', 0), catalogue)).toMatchObject({ shortcut: shortcuts.next });
    expect(matcher.press(press('k', 1), catalogue)).toMatchObject({
      shortcut: shortcuts.previous,
    });
    expect(matcher.press(press('/', 2), catalogue)).toMatchObject({ shortcut: shortcuts.search });
    expect(matcher.press(press('?', 3, { target: null }), catalogue)).toMatchObject({
      shortcut: shortcuts.help,
    });
    expect(matcher.press(press('Enter', 4), catalogue)).toMatchObject({
      shortcut: shortcuts.open,
    });
  });

  it('waits through Shift, which typing ? needs on most layouts', () => {
    const matcher = createKeySequenceMatcher();
    matcher.press(press('g', 0), catalogue);
    expect(matcher.press(press('Shift', 50), catalogue)).toEqual({ kind: 'ignored' });
    expect(matcher.press(press('a', 100), catalogue)).toMatchObject({
      shortcut: shortcuts.goApprovals,
    });
  });

  it.each(['ctrlKey', 'metaKey', 'altKey'] as const)(
    'never fires with %s held (the browser keeps its own shortcuts)',
    (modifier) => {
      const matcher = createKeySequenceMatcher();
      expect(matcher.press(press('j', 0, { [modifier]: true }), catalogue)).toEqual({
        kind: 'ignored',
      });
      matcher.press(press('g', 10), catalogue);
      expect(matcher.press(press('i', 20, { [modifier]: true }), catalogue)).toEqual({
        kind: 'ignored',
      });
    },
  );

  it.each([
    ['a text input', '<input data-target type="text">'],
    ['a search input', '<input data-target type="search">'],
    ['an input without a type', '<input data-target>'],
    ['a textarea', '<textarea data-target></textarea>'],
    ['a select', '<select data-target></select>'],
  ])('never fires while typing in %s', (_name, html) => {
    const target = element(html);
    const matcher = createKeySequenceMatcher();
    for (const key of ['j', 'k', '/', '?', 'Enter'])
      expect(matcher.press(press(key, 0, { target }), catalogue)).toEqual({ kind: 'ignored' });
    matcher.press(press('g', 0, { target }), catalogue);
    expect(matcher.press(press('i', 10, { target }), catalogue)).toEqual({ kind: 'ignored' });
  });

  it('never fires while typing in a contenteditable element', () => {
    // jsdom does not compute isContentEditable; a browser does, and the matcher reads it.
    const target = Object.assign(element('<div data-target contenteditable="true"></div>'), {
      isContentEditable: true,
    });
    expect(isTypingTarget(target)).toBe(true);
    const matcher = createKeySequenceMatcher();
    expect(matcher.press(press('j', 0, { target }), catalogue)).toEqual({ kind: 'ignored' });
  });

  it('drops a half-typed g when the next key is typed in an input', () => {
    const matcher = createKeySequenceMatcher();
    matcher.press(press('g', 0), catalogue);
    matcher.press(press('x', 10, { target: element('<input data-target>') }), catalogue);
    expect(matcher.press(press('i', 20), catalogue)).toEqual({ kind: 'ignored' });
  });

  it('leaves Enter to a focused link or button, which act on it themselves', () => {
    const matcher = createKeySequenceMatcher();
    for (const html of [
      '<a data-target href="/incidents/x">x</a>',
      '<button data-target>Resolve</button>',
      '<div role="button"><span data-target>Open</span></div>',
    ])
      expect(matcher.press(press('Enter', 0, { target: element(html) }), catalogue)).toEqual({
        kind: 'ignored',
      });
    expect(
      matcher.press(press('j', 0, { target: element('<a data-target href="/">x</a>') }), catalogue),
    ).toMatchObject({ kind: 'matched' });
  });

  it('keeps out of a modal dialog, which has the keyboard to itself', () => {
    const target = element('<div aria-modal="true"><button data-target>OK</button></div>');
    const matcher = createKeySequenceMatcher();
    expect(matcher.press(press('j', 0, { target }), catalogue)).toEqual({ kind: 'ignored' });
  });

  it('does not treat checkboxes and buttons as typing', () => {
    expect(isTypingTarget(element('<input data-target type="checkbox">'))).toBe(false);
    expect(isTypingTarget(element('<button data-target>x</button>'))).toBe(false);
    expect(isTypingTarget(null)).toBe(false);
  });

  it('only matches the shortcuts it is given (those bound on the current page)', () => {
    const matcher = createKeySequenceMatcher();
    expect(matcher.press(press('j', 0), [shortcuts.goIncidents])).toEqual({ kind: 'ignored' });
  });
});

describe('moveSelection', () => {
  it('selects the first row on j and the last on k when nothing is selected', () => {
    expect(moveSelection(-1, 1, 5)).toBe(0);
    expect(moveSelection(-1, -1, 5)).toBe(4);
  });

  it('moves one row and stops at either end', () => {
    expect(moveSelection(2, 1, 5)).toBe(3);
    expect(moveSelection(2, -1, 5)).toBe(1);
    expect(moveSelection(4, 1, 5)).toBe(4);
    expect(moveSelection(0, -1, 5)).toBe(0);
  });

  it('selects nothing in an empty list', () => {
    expect(moveSelection(-1, 1, 0)).toBe(-1);
  });
});

describe('the help dialog', () => {
  it('lists every shortcut once, grouped by where it works', () => {
    const groups = shortcutGroups();
    expect(groups.map((group) => group.scope)).toEqual(['Anywhere', 'Incidents list']);
    expect(groups.flatMap((group) => group.shortcuts)).toHaveLength(catalogue.length);
  });
});
