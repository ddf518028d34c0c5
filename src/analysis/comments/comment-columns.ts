import type { CxrayConfig } from '../../config/schema.js';
import { normaliseHeader } from '../../ingest/header.js';

/** A source column cxray.yaml maps to survey_responses.comment, and what its `pii` does to it at import. */
export interface CommentColumn {
  source: string;
  column: string;
  /** `hash`: stored as a salted hash, unreadable; `drop`: not stored; null: stored as written. */
  pii: 'hash' | 'drop' | null;
}

/** A stored comment the import hashed (`pii: hash`): 'h:' and 32 hex digits, not words. */
export const HASHED_TEXT = /^h:[0-9a-f]{32}$/;

/**
 * The source columns whose free text becomes survey_responses.comment: an
 * unpivoted column with `instrument: comment`, or a feed's `comment` column,
 * each with the source's `pii` rule for it (headers matched as the import
 * matches them, case- and space-insensitively).
 */
export function commentColumns(config: Pick<CxrayConfig, 'sources'>): CommentColumn[] {
  const out: CommentColumn[] = [];
  for (const [source, spec] of Object.entries(config.sources)) {
    const rules = new Map(Object.entries(spec.pii ?? {}).map(([column, rule]) => [normaliseHeader(column), rule]));
    const add = (column: string): void => {
      if (!out.some((c) => c.source === source && normaliseHeader(c.column) === normaliseHeader(column))) out.push({ source, column, pii: rules.get(normaliseHeader(column)) ?? null });
    };
    for (const feed of spec.feeds) {
      if (feed.table !== 'survey_responses') continue;
      for (const [column, answer] of Object.entries(feed.unpivot ?? {})) if (answer.instrument === 'comment') add(column);
      const mapped = feed.columns['comment'];
      const column = typeof mapped === 'string' ? mapped : mapped?.column;
      if (column !== undefined) add(column);
    }
  }
  return out;
}

/** "Q4_TEXT of survey", "Q4_TEXT of survey and Notes of crm". */
export function describeColumns(columns: readonly CommentColumn[]): string {
  const names = columns.map((c) => `${c.column} of ${c.source}`);
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1] ?? ''}`;
}
