import { describe, expect, it } from 'vitest';
import { substituteFacts } from '../src/index.js';

describe('alert files with {{facts}}', () => {
  it('get each fact of the built environments, escaped for a JSON string', () => {
    const text = '{"url": "{{prom_url}}/graph", "note": "{{ quote }}", "left": "{{unknown}}"}';
    const out = substituteFacts(text, { prom_url: 'http://127.0.0.1:9090', quote: 'say "hi"\n' });
    expect(JSON.parse(out)).toEqual({
      url: 'http://127.0.0.1:9090/graph',
      note: 'say "hi"\n',
      left: '{{unknown}}',
    });
  });
});
