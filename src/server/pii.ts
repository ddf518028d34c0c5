import { HASHED_TEXT } from '../analysis/comments/comment-columns.js';
import { maskPersonalData } from '../analysis/comments/mask-personal-data.js';
import type { CxrayConfig } from '../config/schema.js';
import { normaliseHeader } from '../ingest/header.js';

/**
 * The personal-data rules of cxray.yaml as the API applies them: a column a
 * source lists under `pii` was hashed or dropped on import, so its stored
 * value is a salted hash (or nothing) that identifies no one but means
 * nothing either; the API shows neither. Free text (survey comments) is
 * shown with e-mail addresses and phone and card numbers masked, as the
 * comments analysis shows its samples.
 */

/** Customer attributes (cxray.yaml names) read from a column a source lists under `pii`. */
export function personalAttributes(config: Pick<CxrayConfig, 'sources'>): Set<string> {
  const out = new Set<string>();
  for (const source of Object.values(config.sources)) {
    const rules = new Set(Object.keys(source.pii ?? {}).map(normaliseHeader));
    if (rules.size === 0) continue;
    for (const feed of source.feeds) {
      if (feed.table !== 'customers') continue;
      for (const [name, spec] of Object.entries(feed.attributes ?? {})) {
        const column = typeof spec === 'string' ? spec : spec.column;
        if (column !== undefined && rules.has(normaliseHeader(column))) out.add(name);
      }
    }
  }
  return out;
}

/** A stored text as the API shows it: null with the reason when it was hashed on import, else masked. */
export function shownText(text: string | null): { text: string | null; hidden: 'hashed' | null } {
  if (text === null) return { text: null, hidden: null };
  if (HASHED_TEXT.test(text)) return { text: null, hidden: 'hashed' };
  return { text: maskPersonalData(text), hidden: null };
}
