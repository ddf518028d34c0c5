import type { AttributeSpec, ColumnSpec, Source } from '../config/schema.js';
import { normaliseHeader } from '../ingest/header.js';
import { CANONICAL_TABLES, type CanonicalTableName } from '../model/tables.js';

/** A source column that a feed reads as a date or a number (where a bad value must quarantine the row). */
export interface TypedRead {
  table: CanonicalTableName;
  kind: 'date' | 'number';
  decimal: '.' | ',';
}

const TYPED_CANONICAL: Record<string, TypedRead['kind']> = { timestamp: 'date', date: 'date', money: 'number', double: 'number', int32: 'number', int64: 'number' };
const TYPED_ATTRIBUTE: Record<string, TypedRead['kind']> = { date: 'date', age: 'date', days_since: 'date', money: 'number', number: 'number', integer: 'number' };

/**
 * Which source columns (by normalised header) a source's feeds read as
 * dates or numbers, from cxray.yaml. Value maps are left out: a mapped
 * value is looked up, not parsed.
 */
export function typedColumns(source: Source): Map<string, TypedRead[]> {
  const out = new Map<string, TypedRead[]>();
  const add = (column: string | undefined, read: TypedRead): void => {
    if (column === undefined) return;
    const key = normaliseHeader(column);
    out.set(key, [...(out.get(key) ?? []), read]);
  };
  for (const feed of source.feeds) {
    const table = feed.table as CanonicalTableName;
    for (const [name, spec] of Object.entries(feed.columns)) {
      const s: Exclude<ColumnSpec, string> = typeof spec === 'string' ? { column: spec } : spec;
      if (s.map !== undefined) continue;
      const type = CANONICAL_TABLES[table]?.find((c) => c.name === name)?.type;
      const kind = s.months_before_as_of === true ? 'number' : type === undefined ? undefined : TYPED_CANONICAL[type];
      if (kind !== undefined) add(s.column, { table, kind, decimal: s.decimal ?? '.' });
    }
    for (const spec of Object.values(feed.attributes ?? {})) {
      const s: Exclude<AttributeSpec, string> = typeof spec === 'string' ? { column: spec, type: 'string' } : spec;
      const kind = s.map === undefined ? TYPED_ATTRIBUTE[s.type] : undefined;
      if (kind !== undefined) add(s.column, { table, kind, decimal: s.decimal ?? '.' });
    }
  }
  return out;
}
