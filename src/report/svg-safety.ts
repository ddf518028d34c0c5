/** Elements that run code, embed documents or pull in resources. */
const UNSAFE_ELEMENTS = new Set(['script', 'foreignobject', 'image', 'iframe', 'use', 'object', 'embed', 'a', 'style', 'feimage', 'animate', 'set']);

const TAG = /<\s*([A-Za-z][\w:-]*)((?:\s+[^\s=/>]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?)*)\s*\/?>/g;
const ATTRIBUTE = /([^\s=/>]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'>]+))?/g;

/**
 * Why an SVG could run code or fetch something, or null when it cannot:
 * an element that scripts, embeds or loads; an event-handler attribute; a
 * link or `url(...)` to anything but an id in the same document. Text and
 * attribute values are data: an escaped `&lt;script&gt;` in a label is fine.
 */
export function svgHazard(svg: string): string | null {
  if (/<!DOCTYPE|<!ENTITY|<\?xml-stylesheet/i.test(svg)) return 'a document type, entity or stylesheet declaration';
  for (const tag of svg.matchAll(TAG)) {
    const element = (tag[1] ?? '').toLowerCase();
    if (UNSAFE_ELEMENTS.has(element)) return `a <${element}> element`;
    for (const attribute of (tag[2] ?? '').matchAll(ATTRIBUTE)) {
      const name = (attribute[1] ?? '').toLowerCase();
      const value = (attribute[2] ?? '').replace(/^["']|["']$/g, '').trim();
      if (name.startsWith('on')) return `an event handler (${name})`;
      if ((name === 'href' || name.endsWith(':href') || name === 'src') && !value.startsWith('#')) return `a link (${name})`;
      if (/url\(\s*(?!["']?#)/i.test(value)) return `a url() in ${name}`;
    }
  }
  return null;
}
