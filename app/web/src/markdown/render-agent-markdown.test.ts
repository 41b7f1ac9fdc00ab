// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { renderAgentMarkdown } from './render-agent-markdown';

/** The rendered HTML as a DOM, to look at what a browser would build from it. */
function rendered(markdown: string): HTMLElement {
  const container = document.createElement('div');
  container.innerHTML = renderAgentMarkdown(markdown);
  return container;
}

/** Every way the rendered HTML could run script: what a hostile input must never produce. */
function dangers(root: HTMLElement): string[] {
  const found: string[] = [];
  for (const element of root.querySelectorAll('*')) {
    const tag = element.tagName.toLowerCase();
    if (
      [
        'script',
        'iframe',
        'object',
        'embed',
        'style',
        'img',
        'svg',
        'math',
        'form',
        'base',
      ].includes(tag)
    )
      found.push(`<${tag}>`);
    for (const attribute of element.attributes) {
      if (attribute.name.startsWith('on') || attribute.name === 'style')
        found.push(`${tag}[${attribute.name}]`);
      if (['href', 'src', 'xlink:href', 'action', 'formaction'].includes(attribute.name)) {
        const value = attribute.value.replace(/[\s\p{Cc}]/gu, '').toLowerCase();
        if (!/^(https?:|mailto:|#|\/|\.)/.test(value) && /^[a-z][a-z0-9+.-]*:/.test(value))
          found.push(`${tag}[${attribute.name}=${attribute.value}]`);
      }
    }
  }
  return found;
}

const hostile: readonly (readonly [string, string])[] = [
  ['a script tag', '<script>alert(1)</script>'],
  ['an image with onerror', '<img src=x onerror=alert(1)>'],
  ['an svg with onload', '<svg onload=alert(1)><circle r=1></svg>'],
  ['an iframe', '<iframe src="javascript:alert(1)"></iframe>'],
  ['a javascript: link', '[click](javascript:alert(1))'],
  ['a mixed-case javascript: link', '[click](JaVaScRiPt:alert(1))'],
  ['an entity-encoded javascript: link', '[click](&#106;avascript:alert(1))'],
  ['a javascript: link with a tab in it', '[click](java\tscript:alert(1))'],
  ['a percent-encoded javascript: link', '[click](%6Aavascript:alert(1))'],
  ['a javascript: autolink', '<javascript:alert(1)>'],
  ['a vbscript: link', '[click](vbscript:msgbox(1))'],
  ['a data: HTML link', '[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)'],
  ['a javascript: reference link', '[click][x]\n\n[x]: javascript:alert(1)'],
  ['a javascript: image', '![x](javascript:alert(1))'],
  ['an inline style', '<p style="background:url(javascript:alert(1))">x</p>'],
  ['HTML in a link text', '[<img src=x onerror=alert(1)>](https://example.com)'],
  [
    'an attribute breakout in a link title',
    '[x](https://example.com "a\\" onmouseover=\\"alert(1)")',
  ],
  ['a form', '<form action="https://evil.example"><input name=password></form>'],
  ['a base tag', '<base href="https://evil.example/">'],
  ['mutation-style markup', '<noscript><p title="</noscript><img src=x onerror=alert(1)>">'],
];

describe('renderAgentMarkdown', () => {
  it.each(hostile)('renders %s inert', (_name, input) => {
    const root = rendered(input);
    expect(dangers(root), root.innerHTML).toEqual([]);
  });

  it('shows raw HTML as the text it is, rather than dropping it', () => {
    expect(rendered('<script>alert(1)</script>').textContent).toContain(
      '<script>alert(1)</script>',
    );
  });

  it('leaves an unsafe link as plain text', () => {
    const root = rendered('[click](javascript:alert(1))');
    expect(root.querySelector('a')).toBeNull();
    expect(root.textContent).toContain('[click](javascript:alert(1))');
  });

  it('renders the markdown a report is written in', () => {
    const root = rendered(
      '## Root cause\n\nDisk **full** on `db-1`:\n\n- one\n- two\n\n```sh\ndf -h <dir>\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |',
    );
    expect(root.querySelector('h2')?.textContent).toBe('Root cause');
    expect(root.querySelector('strong')?.textContent).toBe('full');
    expect(root.querySelectorAll('li')).toHaveLength(2);
    expect(root.querySelector('pre code')?.textContent).toBe('df -h <dir>\n');
    expect(root.querySelector('table td')?.textContent).toBe('1');
  });

  it('opens safe links in a new tab without giving it this page', () => {
    const link = rendered(
      'See [the runbook](https://runbooks.example/disk) and https://grafana.example/d/1',
    ).querySelectorAll('a');
    expect([...link].map((a) => a.getAttribute('href'))).toEqual([
      'https://runbooks.example/disk',
      'https://grafana.example/d/1',
    ]);
    for (const a of link) {
      expect(a.getAttribute('target')).toBe('_blank');
      expect(a.getAttribute('rel')).toBe('noopener noreferrer nofollow');
    }
  });
});
