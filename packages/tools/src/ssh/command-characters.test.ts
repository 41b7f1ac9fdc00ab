import { describe, expect, it } from 'vitest';
import { forbiddenCharacterIn } from './command-characters.js';

describe('characters a command must not hold', () => {
  it.each([
    ['\u202e', 'bidirectional control U+202E'],
    ['\u2067', 'bidirectional control U+2067'],
    ['\u200f', 'bidirectional control U+200F'],
    ['\u061c', 'bidirectional control U+061C'],
    ['\u200b', 'invisible character U+200B'],
    ['\u2063', 'invisible character U+2063'],
    ['\ufeff', 'invisible character U+FEFF'],
    ['\u00ad', 'invisible character U+00AD'],
    ['\u180e', 'invisible character U+180E'],
    ['\u{e0067}', 'invisible character U+E0067'],
    ['\ufe0e', 'invisible character U+FE0E'],
    ['\u{e0100}', 'invisible character U+E0100'],
    ['\u00a0', 'space-like character U+00A0'],
    ['\u2028', 'space-like character U+2028'],
    ['\n', 'control character U+000A'],
    ['\u0085', 'control character U+0085'],
  ])('refuses %j, naming its code point', (character, reason) => {
    expect(forbiddenCharacterIn(`ls ${character}x`)).toContain(reason);
  });

  it('accepts ordinary text, tabs and letters of any script', () => {
    expect(forbiddenCharacterIn("grep -i 'ошибка\tエラー' app.log")).toBeNull();
  });
});
