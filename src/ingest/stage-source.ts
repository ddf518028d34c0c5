import type { CxrayConfig, Source } from '../config/schema.js';
import type { Engine } from '../engine/types.js';
import type { CanonicalTableName } from '../model/tables.js';
import { compileFeed, valueRef, type CompiledFeed } from './compile-feed.js';
import { normaliseHeader } from './header.js';
import { isBlank } from './expressions.js';
import { readDelimitedFile, type RawFile } from './read-file.js';
import { readStructuredFile } from './read-structured-file.js';

export interface SourceFile {
  /** As written in the ledger and quarantine (relative to the workspace when inside it). */
  display: string;
  abs: string;
  sha256: string;
  bytes: number;
}

export interface StagedFeed {
  feed: CompiledFeed;
  table: string;
}

export interface StagedSource {
  name: string;
  /** `_outcome` table: one row per record read (file, unit, line, status, reason, column, detail, rule). */
  outcomes: string;
  /** The source's rows as read (`_file`, `_unit`, raw cells), kept until the quarantine is written. */
  marked: string;
  /** Quoted raw cell columns of `marked`, in header order. */
  rawCells: string[];
  feeds: StagedFeed[];
  files: { file: SourceFile; raw: RawFile }[];
  linesApproximate: string[];
}

/** Table names in the staging database are derived from source names (already [a-z0-9_]). */
export const stagingName = (source: string, part: string): string => `_${part}_${source}`;

/**
 * Read every file of a source, apply PII rules, find exact and conflicting
 * duplicates, and type every feed's columns: after this, each record of the
 * source has an outcome (inserted, duplicate, excluded or quarantined) except
 * for identity matching, which needs all sources (see resolve-identity.ts).
 */
export async function stageSource(
  engine: Engine,
  config: CxrayConfig,
  name: string,
  source: Source,
  files: SourceFile[],
  /** `scratch`: a path prefix for temporary copies of files DuckDB cannot decode (see readDelimitedFile). */
  options: { asOf: string; salt: string; scratch?: string },
): Promise<StagedSource> {
  const d = engine.dialect;
  const q = (s: string): string => d.quoteIdent(s);
  const raws: { file: SourceFile; raw: RawFile }[] = [];
  for (const [i, file] of files.entries()) {
    const raw =
      source.format === 'csv'
        ? await readDelimitedFile(engine, file.abs, file.display, source.csv, stagingName(name, `file${i}`), options.scratch === undefined ? {} : { scratch: options.scratch })
        : await readStructuredFile(engine, file.abs, file.display, source.format, stagingName(name, `file${i}`));
    raws.push({ file, raw });
  }
  // The union of header names across the source's files, in first-seen order.
  const headers: string[] = [];
  const headerKeys = new Map<string, number>();
  for (const { raw } of raws) {
    for (const n of raw.names) {
      const key = normaliseHeader(n);
      if (!headerKeys.has(key)) {
        headerKeys.set(key, headers.length);
        headers.push(n);
      }
    }
  }
  const h = (i: number): string => `h${i + 1}`;
  const piiByKey = new Map(Object.entries(source.pii ?? {}).map(([column, rule]) => [normaliseHeader(column), rule]));
  const selects = raws.map(({ file, raw }, order) => {
    const byKey = new Map(raw.names.map((n, i) => [normaliseHeader(n), `c${i + 1}`]));
    const cells = headers.map((header, i) => {
      const key = normaliseHeader(header);
      const c = byKey.get(key);
      const value = c === undefined ? 'CAST(NULL AS VARCHAR)' : q(c);
      const rule = piiByKey.get(key);
      // Hash after normalising, so an e-mail key still matches across sources.
      if (rule === 'hash') return `CASE WHEN ${isBlank(value)} THEN NULL ELSE 'h:' || substr(sha256(${d.literal(options.salt)} || lower(trim(${value}))), 1, 32) END AS ${q(h(i))}`;
      if (rule === 'drop') return `CAST(NULL AS VARCHAR) AS ${q(h(i))}`;
      return `${value} AS ${q(h(i))}`;
    });
    return `SELECT ${d.literal(file.display)} AS _file, ${order} AS _fileorder, _unit, _line, ${cells.join(', ')} FROM ${q(raw.table)}`;
  });
  // One wide table per source (`marked`), written once: the row hash for
  // duplicate detection is computed in the same pass, and the duplicate and
  // conflict flags (rare) are set afterwards by UPDATE instead of copying
  // every cell into new tables.
  const marked = stagingName(name, 'marked');
  const cellList = headers.map((_, i) => q(h(i))).join(', ');
  await engine.exec(
    `CREATE OR REPLACE TABLE ${q(marked)} AS
     SELECT *, hash(${cellList}) AS _rowhash, FALSE AS _duplicate, FALSE AS _conflict FROM (${selects.join(' UNION ALL ')})`,
  );
  for (const { raw } of raws) {
    for (const object of raw.dropAfterUse) {
      const [kind, objectName] = object.split(' ', 2) as [string, string];
      await engine.exec(`DROP ${kind} IF EXISTS ${q(objectName)}`);
    }
  }

  const columnsByHeader = new Map(headers.map((header, i) => [normaliseHeader(header), `r.${q(h(i))}`]));
  const compiled = source.feeds.map((feed, feedIndex) =>
    compileFeed({ dialect: d, config, sourceName: name, feedIndex, columnsByHeader, headerNames: headers, file: files[0]?.display ?? name, asOf: options.asOf }, feed),
  );

  // Exact duplicates: every raw cell equal (NULL-safe); the first copy in file order stays.
  const rowKey = (source.row_key ?? defaultRowKey(source)).map((column) => columnsByHeader.get(normaliseHeader(column))).filter((c): c is string => c !== undefined);
  // Exact duplicates are rare: only rows whose hash repeats are candidates
  // (a collision only adds a candidate; the window compares every cell).
  const cellsOf = (alias: string): string => headers.map((_, i) => `${alias}.${q(h(i))}`).join(', ');
  await engine.exec(
    `UPDATE ${q(marked)} SET _duplicate = TRUE WHERE (_file, _unit) IN (
       SELECT _file, _unit FROM (
         SELECT c._file, c._unit, row_number() OVER (PARTITION BY ${cellsOf('c')} ORDER BY c._fileorder, c._unit) > 1 AS dup
         FROM ${q(marked)} c
         WHERE c._rowhash IN (SELECT a._rowhash FROM ${q(marked)} a GROUP BY a._rowhash HAVING count(*) > 1)
       ) WHERE dup)`,
  );
  // Same key, different values: every copy is quarantined (which one is right is the user's call).
  if (rowKey.length > 0) {
    const keyOf = (alias: string): string => `list_value(${rowKey.map((k) => k.replace(/^r\./, `${alias}.`)).join(', ')})`;
    const keyPresent = (alias: string): string => rowKey.map((k) => `NOT ${isBlank(k.replace(/^r\./, `${alias}.`))}`).join(' AND ');
    await engine.exec(
      `UPDATE ${q(marked)} AS r SET _conflict = TRUE
       WHERE (${keyPresent('r')}) AND NOT r._duplicate AND ${keyOf('r')} IN (
         SELECT ${keyOf('k')} AS key FROM ${q(marked)} k WHERE NOT k._duplicate AND ${keyPresent('k')} GROUP BY key HAVING count(*) > 1)`,
    );
  }
  const conflict = 'r._conflict';

  const feeds: StagedFeed[] = [];
  for (const [i, feed] of compiled.entries()) {
    const table = stagingName(name, `feed${i}`);
    // The first failing check of a row, by index, found once; reason, column
    // and detail are then looked up rather than each re-running the checks.
    const checkIndex = (checks: CompiledFeed['checks']): string =>
      checks.length === 0 ? 'CAST(NULL AS INTEGER)' : `CASE ${checks.map((c, k) => `WHEN ${c.when} THEN ${k + 1}`).join(' ')} END`;
    const pickCheck = (checks: CompiledFeed['checks'], pick: 'reason' | 'column' | 'detail'): string =>
      checks.length === 0
        ? 'CAST(NULL AS VARCHAR)'
        : `CAST([${checks.map((c) => d.literal(pick === 'reason' ? c.reason : pick === 'column' ? c.column : c.detail)).join(', ')}][r._check] AS VARCHAR)`;
    // Innermost: only the rows this feed takes (records no feed applies to
    // are excluded by the outcome step); then one projection per level of
    // intermediate values, so each is computed once per row; then the typed
    // columns; then the first failing check; outermost, the feed's row.
    const levels = Math.max(0, ...feed.lets.map((l) => l.level));
    const typedRows = (): string => {
      let from = `SELECT r.* FROM ${q(marked)} r WHERE NOT r._duplicate AND NOT ${conflict} AND ${feed.applies}`;
      for (let level = 1; level <= levels; level += 1) {
        const here = feed.lets.filter((l) => l.level === level);
        from = `SELECT r.*, ${here.map((l) => `${l.sql} AS ${q(l.name)}`).join(', ')} FROM (${from}) r`;
      }
      return `SELECT r.*, ${feed.columns.map((c) => `${c.sql} AS ${q(`v_${c.name}`)}`).join(', ')} FROM (${from}) r`;
    };
    const feedRows = (typed: string, checks: CompiledFeed['checks'], answer: CompiledFeed['columns'], answerIndex: number): string => {
      const columns = [...feed.columns, ...answer];
      let from = typed;
      if (answer.length > 0) from = `SELECT r.*, ${answer.map((c) => `${c.sql} AS ${q(`v_${c.name}`)}`).join(', ')} FROM (${from}) r`;
      from = `SELECT r.*, ${checkIndex(checks)} AS _check FROM (${from}) r`;
      return `SELECT r._file, r._unit, r._line, ${answerIndex} AS _answer, TRUE AS _applies,
         ${pickCheck(checks, 'reason')} AS _reason, ${pickCheck(checks, 'column')} AS _reason_column, ${pickCheck(checks, 'detail')} AS _detail,
         ${columns.map((c) => `${valueRef(d, c.name)} AS ${q(c.name)}`).join(', ')}
         ${feed.identityKeys.map((k) => `, ${k.sql} AS ${q(`_key_${k.key}`)}`).join('')}
         ${feed.coercions.length === 0 ? '' : `, ${feed.coercions.map((c, k) => `(${c.when}) AS ${q(`_coerce${k}`)}`).join(', ')}`}
       FROM (${from}) r`;
    };
    // An unpivoted feed (one row per answer) types the record's own columns
    // once, not once per answer column.
    const sql =
      feed.answers === null
        ? feedRows(typedRows(), feed.checks, [], 0)
        : `WITH _typed AS MATERIALIZED (${typedRows()}) ${feed.answers
            .map((a, k) => feedRows(`SELECT r.* FROM _typed r WHERE ${a.present}`, [...feed.checks, ...a.checks], a.columns, k + 1))
            .join(' UNION ALL ')}`;
    await engine.exec(`CREATE OR REPLACE TABLE ${q(table)} AS ${sql}`);
    feeds.push({ feed, table });
  }

  // One outcome per record: duplicates and conflicts first, then any failing
  // applicable feed quarantines the record, then records no feed takes are excluded.
  const outcomes = stagingName(name, 'outcome');
  const failureRows = (f: StagedFeed, i: number): string =>
    f.feed.answers === null
      ? `SELECT _file, _unit, ${i} AS _feed, _reason AS reason, _reason_column AS reason_column, _detail AS detail, _applies AS applies FROM ${q(f.table)}`
      : // Answers of one response: the failing ones only (a passing answer has no reason, column or detail).
        `SELECT _file, _unit, ${i} AS _feed, min(_reason) AS reason, min(_reason_column) AS reason_column, min(_detail) AS detail, TRUE AS applies
         FROM ${q(f.table)} WHERE _applies AND _reason IS NOT NULL GROUP BY _file, _unit`;
  const failures = feeds.map(failureRows).join(' UNION ALL ');
  const rules = compiled.map((f) => f.whereLabel ?? 'no rule').join(' / ');
  // Which records some feed takes (narrow: two key columns, a plain DISTINCT
  // that spills to disk) apart from why the few failing ones fail (arg_min
  // over text, on those rows only): one aggregate of every row with text
  // states ran out of memory at 20M payment rows.
  const taken = feeds.map((f) => `SELECT _file, _unit FROM ${q(f.table)} WHERE _applies`).join(' UNION ALL ');
  await engine.exec(
    `CREATE OR REPLACE TABLE ${q(outcomes)} AS
     SELECT r._file, r._unit, r._line,
       CASE WHEN r._duplicate THEN 'duplicate'
            WHEN ${conflict} THEN 'quarantined'
            WHEN f.failed THEN 'quarantined'
            WHEN a._unit IS NOT NULL THEN 'inserted'
            ELSE 'excluded' END AS status,
       CASE WHEN r._duplicate THEN NULL WHEN ${conflict} THEN 'conflicting_duplicate' WHEN f.failed THEN f.reason END AS reason,
       CASE WHEN ${conflict} AND NOT r._duplicate THEN ${d.literal(source.row_key?.join(', ') ?? defaultRowKey(source).join(', '))} WHEN f.failed THEN f.reason_column END AS reason_column,
       CASE WHEN ${conflict} AND NOT r._duplicate THEN 'another row has the same key with different values' WHEN f.failed THEN f.detail END AS detail,
       CASE WHEN NOT r._duplicate AND NOT ${conflict} AND NOT COALESCE(f.failed, FALSE) AND a._unit IS NULL THEN ${d.literal(`no feed applies (${rules})`)} END AS rule
     FROM ${q(marked)} r
     LEFT JOIN (SELECT DISTINCT _file, _unit FROM (${taken})) a ON a._file = r._file AND a._unit = r._unit
     LEFT JOIN (
       SELECT _file, _unit, TRUE AS failed,
              arg_min(reason, _feed) AS reason,
              arg_min(reason_column, _feed) AS reason_column,
              arg_min(detail, _feed) AS detail
       FROM (${failures}) WHERE applies AND reason IS NOT NULL GROUP BY _file, _unit
     ) f ON f._file = r._file AND f._unit = r._unit`,
  );
  return { name, outcomes, marked, rawCells: headers.map((_, i) => q(h(i))), feeds, files: raws, linesApproximate: raws.filter((r) => r.raw.linesApproximate).map((r) => r.file.display) };
}

/** The row key when none is declared: the source column of the first feed's id column. */
function defaultRowKey(source: Source): string[] {
  const idColumn: Partial<Record<CanonicalTableName, string>> = {
    customers: 'customer_id',
    transactions: 'transaction_id',
    interactions: 'interaction_id',
    survey_responses: 'response_id',
  };
  for (const feed of source.feeds) {
    const id = idColumn[feed.table as CanonicalTableName];
    const spec = id === undefined ? undefined : feed.columns[id];
    if (typeof spec === 'string') return [spec];
    if (spec !== undefined && typeof spec === 'object' && spec.column !== undefined) return [spec.column];
  }
  return [];
}
