import type { Engine } from '../engine/types.js';
import type { StagedSource } from './stage-source.js';

export const QUARANTINE_TABLE = '_quarantine';

/**
 * Text the store can hold: a NUL byte (binary garbage in a line) becomes the
 * visible ␀ (U+2400) and a lone UTF-16 surrogate (a line cut in the middle of
 * a character) the replacement character; every other character is kept.
 */
export function storableText(text: string): string {
  return text.replaceAll('\u0000', '\u2400').replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

/**
 * Keep every quarantined record in the store: source, file, physical line,
 * the column at fault, the reason code, a sentence for a person, and the raw
 * text (the exact line for unreadable records; the fields re-joined as CSV
 * for records whose values failed, with personal data already hashed).
 */
export async function writeQuarantine(engine: Engine, sources: StagedSource[]): Promise<string> {
  const d = engine.dialect;
  const q = (s: string): string => d.quoteIdent(s);
  await engine.exec(
    `CREATE OR REPLACE TABLE ${q(QUARANTINE_TABLE)} (source VARCHAR, file VARCHAR, line BIGINT, "column" VARCHAR, reason VARCHAR, detail VARCHAR, raw VARCHAR)`,
  );
  for (const source of sources) {
    // Re-join raw fields as one CSV line so a person can read the record.
    await engine.exec(
      `INSERT INTO ${q(QUARANTINE_TABLE)}
       SELECT $source, o._file, o._line, o.reason_column, o.reason, o.detail,
              array_to_string(list_transform([${source.rawCells.map((c) => `m.${c}`).join(', ')}], x -> CASE WHEN x IS NULL THEN '' WHEN regexp_matches(x, '[",\\n\\r]') THEN '"' || replace(x, '"', '""') || '"' ELSE x END), ',')
       FROM ${q(source.outcomes)} o JOIN ${q(source.marked)} m ON m._file = o._file AND m._unit = o._unit
       WHERE o.status = 'quarantined'`,
      { source: source.name },
    );
    const rows = source.files.flatMap(({ file, raw }) =>
      raw.rejected.filter((r) => !r.footer).map((r) => [source.name, file.display, BigInt(r.line), null, r.reason, storableText(r.detail), storableText(r.raw)]),
    );
    await engine.insertRows(QUARANTINE_TABLE, ['source', 'file', 'line', 'column', 'reason', 'detail', 'raw'], rows);
  }
  return QUARANTINE_TABLE;
}
