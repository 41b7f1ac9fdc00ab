import { describe, expect, it } from 'vitest';
import { safeLink } from './safe-link';

describe('safeLink', () => {
  it('keeps http(s) links', () => {
    expect(safeLink('https://runbooks.example/disk')).toBe('https://runbooks.example/disk');
    expect(safeLink('http://grafana.lan:3000/d/x')).toBe('http://grafana.lan:3000/d/x');
  });

  it('refuses script, data and relative links, and nothing at all', () => {
    for (const url of [
      'javascript:alert(1)',
      ' JavaScript:alert(1)',
      'java\tscript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'vbscript:msgbox(1)',
      '/relative',
      'not a url',
      '',
      null,
      undefined,
    ])
      expect(safeLink(url)).toBeUndefined();
  });
});
