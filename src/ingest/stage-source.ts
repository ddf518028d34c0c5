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
  options: { asOf: string; salt: string },
): Promise<StagedSource> {
  const d = engine.dialect;
  const q = (s: string): string => d.quoteIdent(s);
  const raws: { file: SourceFile; raw: RawFile }[] = [];
  for (const [i, file] of files.entries()) {
    const raw =
      source.format === 'csv'
        ? await readDelimitedFile(engine, file.abs, file.display, source.csv, stagingName(name, `file${i}`))
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
  const rawTable = stagingName(name, 'raw');
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
  await engine.exec(`CREATE OR REPLACE TABLE ${q(rawTable)} AS ${selects.join(' UNION ALL ')}`);

  const columnsByHeader = new Map(headers.map((header, i) => [normaliseHeader(header), `r.${q(h(i))}`]));
  const compiled = source.feeds.map((feed, feedIndex) =>
    compileFeed({ dialect: d, config, sourceName: name, feedIndex, columnsByHeader, headerNames: headers, file: files[0]?.display ?? name, asOf: options.asOf }, feed),
  );

  // Exact duplicates: every raw cell equal (NULL-safe); the first copy in file order stays.
  const rowKey = (source.row_key ?? defaultRowKey(source)).map((column) => columnsByHeader.get(normaliseHeader(column))).filter((c): c is string => c !== undefined);
  const marked = stagingName(name, 'marked');
  // Exact duplicates are rare: group by a row hash first and run the
  // all-column window only on rows whose hash repeats (a collision only adds
  // a candidate; the window compares every cell).
  const cellsOf = (alias: string): string => headers.map((_, i) => `${alias}.${q(h(i))}`).join(', ');
  await engine.exec(
    `CREATE OR REPLACE TABLE ${q(`${marked}_dup`)} AS
     SELECT r.*, COALESCE(d._duplicate, FALSE) AS _duplicate
     FROM ${q(rawTable)} r LEFT JOIN (
       SELECT c._file, c._unit, row_number() OVER (PARTITION BY ${cellsOf('c')} ORDER BY c._fileorder, c._unit) > 1 AS _duplicate
       FROM ${q(rawTable)} c
       WHERE hash(${cellsOf('c')}) IN (SELECT hash(${cellsOf('a')}) AS rh FROM ${q(rawTable)} a GROUP BY rh HAVING count(*) > 1)
     ) d ON d._file = r._file AND d._unit = r._unit`,
  );
  // Same key, different values: every copy is quarantined (which one is right is the user's call).
  const keyOf = (alias: string): string => `list_value(${rowKey.map((k) => k.replace(/^r\./, `${alias}.`)).join(', ')})`;
  const keyPresent = (alias: string): string => rowKey.map((k) => `NOT ${isBlank(k.replace(/^r\./, `${alias}.`))}`).join(' AND ');
  const conflictExpr =
    rowKey.length === 0
      ? 'FALSE'
      : `(${keyPresent('r')}) AND NOT r._duplicate AND ${keyOf('r')} IN (
           SELECT ${keyOf('k')} AS key FROM ${q(`${marked}_dup`)} k WHERE NOT k._duplicate AND ${keyPresent('k')} GROUP BY key HAVING count(*) > 1)`;
  await engine.exec(`CREATE OR REPLACE TABLE ${q(marked)} AS SELECT r.*, ${conflictExpr} AS _conflict FROM ${q(`${marked}_dup`)} r`);
  await engine.exec(`DROP TABLE IF EXISTS ${q(`${marked}_dup`)}`);
  await engine.exec(`DROP TABLE IF EXISTS ${q(rawTable)}`);
  for (const { raw } of raws) {
    for (const object of raw.dropAfterUse) {
      const [kind, objectName] = object.split(' ', 2) as [string, string];
      await engine.exec(`DROP ${kind} IF EXISTS ${q(objectName)}`);
    }
  }
  const conflict = rowKey.length === 0 ? 'FALSE' : 'r._conflict';

  const feeds: StagedFeed[] = [];
  for (const [i, feed] of compiled.entries()) {
    const table = stagingName(name, `feed${i}`);
    const checkCase = (checks: CompiledFeed['checks'], pick: 'reason' | 'column' | 'detail'): string =>
      checks.length === 0
        ? 'CAST(NULL AS VARCHAR)'
        : `CASE ${checks.map((c) => `WHEN ${c.when} THEN ${d.literal(pick === 'reason' ? c.reason : pick === 'column' ? c.column : c.detail)}`).join(' ')} END`;
    // Inner SELECT: parse each value once; outer SELECT: checks and coercions read the parsed columns.
    const base = (checks: CompiledFeed['checks'], columns: CompiledFeed['columns'], extraWhere: string, answerIndex: number): string =>
      `SELECT r._file, r._unit, r._line, ${answerIndex} AS _answer, ${feed.applies} AS _applies,
         ${checkCase(checks, 'reason')} AS _reason, ${checkCase(checks, 'column')} AS _reason_column, ${checkCase(checks, 'detail')} AS _detail,
         ${columns.map((c) => `${valueRef(d, c.name)} AS ${q(c.name)}`).join(', ')}
         ${feed.identityKeys.map((k) => `, ${k.sql} AS ${q(`_key_${k.key}`)}`).join('')}
         ${feed.coercions.length === 0 ? '' : `, ${feed.coercions.map((c, k) => `(${c.when}) AS ${q(`_coerce${k}`)}`).join(', ')}`}
       FROM (
         SELECT r.*, ${columns.map((c) => `${c.sql} AS ${q(`v_${c.name}`)}`).join(', ')}
         FROM ${q(marked)} r WHERE NOT r._duplicate AND NOT ${conflict} ${extraWhere}
       ) r`;
    const sql =
      feed.answers === null
        ? base(feed.checks, feed.columns, '', 0)
        : feed.answers.map((a, k) => base([...feed.checks, ...a.checks], [...feed.columns, ...a.columns], `AND ${a.present}`, k + 1)).join(' UNION ALL ');
    await engine.exec(`CREATE OR REPLACE TABLE ${q(table)} AS ${sql}`);
    feeds.push({ feed, table });
  }

  // One outcome per record: duplicates and conflicts first, then any failing
  // applicable feed quarantines the record, then records no feed takes are excluded.
  const outcomes = stagingName(name, 'outcome');
  const failureRows = (f: StagedFeed, i: number): string =>
    f.feed.answers === null
      ? `SELECT _file, _unit, ${i} AS _feed, _reason AS reason, _reason_column AS reason_column, _detail AS detail, _applies AS applies FROM ${q(f.table)}`
      : `SELECT _file, _unit, ${i} AS _feed, min(_reason) AS reason, min(_reason_column) AS reason_column, min(_detail) AS detail, bool_or(_applies) AS applies
         FROM ${q(f.table)} GROUP BY _file, _unit`;
  const failures = feeds.map(failureRows).join(' UNION ALL ');
  const rules = compiled.map((f) => f.whereLabel ?? 'no rule').join(' / ');
  await engine.exec(
    `CREATE OR REPLACE TABLE ${q(outcomes)} AS
     SELECT r._file, r._unit, r._line,
       CASE WHEN r._duplicate THEN 'duplicate'
            WHEN ${conflict} THEN 'quarantined'
            WHEN f.failed THEN 'quarantined'
            WHEN COALESCE(f.applies, FALSE) THEN 'inserted'
            ELSE 'excluded' END AS status,
       CASE WHEN r._duplicate THEN NULL WHEN ${conflict} THEN 'conflicting_duplicate' WHEN f.failed THEN f.reason END AS reason,
       CASE WHEN ${conflict} AND NOT r._duplicate THEN ${d.literal(source.row_key?.join(', ') ?? defaultRowKey(source).join(', '))} WHEN f.failed THEN f.reason_column END AS reason_column,
       CASE WHEN ${conflict} AND NOT r._duplicate THEN 'another row has the same key with different values' WHEN f.failed THEN f.detail END AS detail,
       CASE WHEN NOT r._duplicate AND NOT ${conflict} AND NOT COALESCE(f.failed, FALSE) AND NOT COALESCE(f.applies, FALSE) THEN ${d.literal(`no feed applies (${rules})`)} END AS rule
     FROM ${q(marked)} r
     LEFT JOIN (
       SELECT _file, _unit, bool_or(applies AND reason IS NOT NULL) AS failed, bool_or(applies) AS applies,
              arg_min(reason, CASE WHEN applies AND reason IS NOT NULL THEN _feed END) AS reason,
              arg_min(reason_column, CASE WHEN applies AND reason IS NOT NULL THEN _feed END) AS reason_column,
              arg_min(detail, CASE WHEN applies AND reason IS NOT NULL THEN _feed END) AS detail
       FROM (${failures}) GROUP BY _file, _unit
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
