import { describe, expect, it } from 'vitest';
import { escapeHtml, escapeMarkdown } from './escape.js';

describe('escaping user text', () => {
  it('HTML: markup and quotes become entities', () => {
    expect(escapeHtml(`<script>alert("x")</script> & 'y'`)).toBe('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;');
  });

  it('Markdown: no HTML, links, emphasis, code, table cells or block starts survive', () => {
    expect(escapeMarkdown('<script>alert(1)</script>')).toBe('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(escapeMarkdown('[click](https://example.com) *bold* `code` a|b net_value')).toBe('\\[click\\](https://example.com) \\*bold\\* \\`code\\` a\\|b net\\_value');
    expect(escapeMarkdown('# heading')).toBe('\\# heading');
    expect(escapeMarkdown('- item')).toBe('\\- item');
    expect(escapeMarkdown('1. item')).toBe('1\\. item');
    expect(escapeMarkdown('line one\n# two')).toBe('line one # two');
    expect(escapeMarkdown('AT&T')).toBe('AT&amp;T');
    expect(escapeMarkdown('32.5% left; -0.9 SD')).toBe('32.5% left; -0.9 SD');
  });
});
