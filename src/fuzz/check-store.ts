import type { CxrayConfig } from '../config/schema.js';
import type { Engine } from '../engine/types.js';
import { normaliseHeader } from '../ingest/header.js';
import { QUARANTINE_TABLE } from '../ingest/quarantine.js';
import { QUARANTINE_REASONS, type ImportLedger } from '../model/ledger.js';
import { CANONICAL_TABLE_NAMES } from '../model/tables.js';
import type { Workspace } from '../workspace/workspace.js';
import type { HostileFile, PlantedCell } from './hostile-files.js';
import { typedColumns } from './typed-columns.js';

export interface StoreFindings {
  /** Formula cells found byte for byte in a stored text column. */
  formulaVerbatim: number;
  /** Formula cells in a column no feed stores as text (unmapped, hashed, or read as a number). */
  formulaNotStored: number;
  /** Planted unreadable (or readable) values in typed columns whose fate was checked. */
  plantedChecked: number;
  /** Text in an encoding's own characters (Windows-1252's €) found byte for byte in a stored text column. */
  textVerbatim: number;
  /** Such text in a column no feed stores as text. */
  textNotStored: number;
}

/** Text columns of the canonical tables this version holds. */
async function textColumns(engine: Engine): Promise<{ table: string; column: string }[]> {
  const out: { table: string; column: string }[] = [];
  for (const table of CANONICAL_TABLE_NAMES) {
    if (!(await engine.hasTable(table))) continue;
    for (const c of await engine.describe(table)) if (/VARCHAR/i.test(c.engineType) && !c.name.startsWith('_')) out.push({ table, column: c.name });
  }
  return out;
}

/** Whether `value` is stored in some text column exactly, or only in an altered form (neutralised, trimmed). */
async function findStored(engine: Engine, columns: { table: string; column: string }[], value: string): Promise<'verbatim' | 'altered' | 'absent'> {
  const q = (s: string): string => engine.dialect.quoteIdent(s);
  const tables = [...new Set(columns.map((c) => c.table))];
  let altered = false;
  for (const table of tables) {
    const cols = columns.filter((c) => c.table === table).map((c) => q(c.column));
    const rows = await engine.query<{ exact: bigint; near: bigint }>(
      `SELECT count(*) FILTER (WHERE v = $value) AS exact, count(*) FILTER (WHERE v <> $value AND (v = '''' || $value OR trim(v) = trim($value))) AS near
       FROM (SELECT unnest([${cols.join(', ')}]) AS v FROM ${q(table)})`,
      { value },
    );
    if ((rows[0]?.exact ?? 0n) > 0n) return 'verbatim';
    if ((rows[0]?.near ?? 0n) > 0n) altered = true;
  }
  return altered ? 'altered' : 'absent';
}

/**
 * A planted value in a column read as a date or a number: an unreadable one
 * must keep its record out of that table (quarantined, or excluded by a
 * rule), never loaded with a NULL; a readable one must not be quarantined
 * as unreadable.
 */
async function checkPlanted(engine: Engine, config: CxrayConfig, cell: PlantedCell, line: number): Promise<string | null | 'unchecked'> {
  const q = (s: string): string => engine.dialect.quoteIdent(s);
  for (const [sourceName, source] of Object.entries(config.sources)) {
    const reads = typedColumns(source).get(normaliseHeader(cell.column)) ?? [];
    for (const read of reads) {
      // A decimal comma reads `1.234,56`; the planted verdicts assume a decimal point.
      if (read.decimal === ',' && /,/.test(cell.value)) continue;
      if (cell.readable === false) {
        if (!(await engine.hasTable(read.table))) continue;
        const rows = await engine.query<{ n: bigint }>(`SELECT count(*) AS n FROM ${q(read.table)} WHERE _source = $source AND _line = $line`, { source: sourceName, line });
        if ((rows[0]?.n ?? 0n) > 0n) return `line ${line}: "${cell.value}" in ${cell.column} (read as a ${read.kind}) was loaded into ${read.table} instead of quarantined`;
        return null;
      }
      if (cell.readable === true) {
        const rows = await engine.query<{ n: bigint }>(
          `SELECT count(*) AS n FROM ${q(QUARANTINE_TABLE)} WHERE source = $source AND line = $line AND reason IN ('bad_date', 'not_a_number')`,
          { source: sourceName, line },
        );
        if ((rows[0]?.n ?? 0n) > 0n) return `line ${line}: "${cell.value}" in ${cell.column} is readable as a ${read.kind} but was quarantined`;
        return null;
      }
    }
  }
  return 'unchecked';
}

/**
 * What the store holds after an import: every quarantined record has a known
 * reason and the count matches the ledger; formula cells are kept as the
 * file had them (neutralised only in exports); planted bad values were
 * quarantined, planted good ones loaded.
 */
export async function checkStore(ws: Workspace, file: HostileFile, config: CxrayConfig, ledger: ImportLedger): Promise<{ problems: string[]; counts: StoreFindings }> {
  const problems: string[] = [];
  const counts: StoreFindings = { formulaVerbatim: 0, formulaNotStored: 0, plantedChecked: 0, textVerbatim: 0, textNotStored: 0 };
  const store = await ws.openStore();
  try {
    const { engine } = store;
    const q = (s: string): string => engine.dialect.quoteIdent(s);
    const reasons = Object.keys(QUARANTINE_REASONS).map((r) => engine.dialect.literal(r)).join(', ');
    const [row] = await engine.query<{ n: bigint; unexplained: bigint }>(
      `SELECT count(*) AS n, count(*) FILTER (WHERE reason IS NULL OR reason NOT IN (${reasons}) OR detail IS NULL OR trim(detail) = '') AS unexplained FROM ${q(QUARANTINE_TABLE)}`,
    );
    if (Number(row?.n ?? 0n) !== ledger.totals.quarantined) problems.push(`the store holds ${row?.n ?? 0n} quarantined records, the ledger ${ledger.totals.quarantined}`);
    if ((row?.unexplained ?? 0n) > 0n) problems.push(`${row?.unexplained ?? 0n} quarantined record(s) without a known reason and a detail`);
    if (file.records !== null && ledger.totals.read !== file.records) problems.push(`read ${ledger.totals.read} records, the file has ${file.records}`);

    const text = await textColumns(engine);
    for (const cell of file.planted) {
      if (cell.formula || cell.text) {
        // Cells that must come back from the store byte for byte: formulas (neutralised only in exports), an encoding's own characters.
        const found = await findStored(engine, text, cell.value);
        const what = cell.formula ? 'formula cell' : 'text';
        if (found === 'altered') problems.push(`the ${what} ${JSON.stringify(cell.value)} (${cell.column}) was stored altered, not as the file had it`);
        else if (cell.formula) counts[found === 'verbatim' ? 'formulaVerbatim' : 'formulaNotStored'] += 1;
        else counts[found === 'verbatim' ? 'textVerbatim' : 'textNotStored'] += 1;
        continue;
      }
      if (cell.line === null || cell.readable === null) continue;
      const verdict = await checkPlanted(engine, config, cell, cell.line);
      if (verdict === 'unchecked') continue;
      counts.plantedChecked += 1;
      if (verdict !== null) problems.push(verdict);
    }
  } finally {
    await store.close();
  }
  return { problems, counts };
}
