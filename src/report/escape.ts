/**
 * User data (segment values, comments, file names, rules) reaches the report
 * as text, never as markup: every string goes through one of these on its
 * way into HTML or Markdown.
 */

const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ENTITIES[c] ?? c);
}

/**
 * Text for Markdown: inline HTML is neutralised (`<` and `&` as entities,
 * which every CommonMark reader shows as the character), the characters that
 * make emphasis, links, code or table cells are backslash-escaped, and so is
 * a start that would open a heading, list or quote. Line breaks become
 * spaces, so a value cannot start a block of its own.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\r\n]+/g, ' ')
    .replace(/[\\`*_[\]|~]/g, (c) => `\\${c}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/^(\s*)([#+=-])(?=\s|$)/, '$1\\$2')
    .replace(/^(\s*\d+)([.)])(?=\s|$)/, '$1\\$2');
}
