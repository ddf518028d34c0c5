import { open, stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { sourceSchema, type AttributeSpec, type CxrayConfig, type Source } from '../../config/schema.js';
import type { Engine } from '../../engine/types.js';
import { UserError } from '../../errors.js';
import { decodeUnit, headerNames, splitHeaderFields } from '../../ingest/header.js';
import { writeQuarantine } from '../../ingest/quarantine.js';
import { stageSource } from '../../ingest/stage-source.js';
import { detectEncoding } from '../../init/read/detect-encoding.js';
import type { Encoding } from '../../init/types.js';
import { sniffDelimiter } from '../../init/read/sniff-delimiter.js';
import type { QuarantineReason } from '../../model/ledger.js';
import { attributeSpecs, matchProspectColumns, type ModelAttribute, type ProspectColumns } from './prospect-columns.js';
import type { AttributeInfo } from '../facts-catalogue.js';

/** The typed prospects: one row per prospect scored, in file order. */
export const PROSPECTS_TABLE = 'prospects';
/** Every record of the file that was not scored, with its line, column and reason (ingest/quarantine.ts). */
export const PROSPECT_QUARANTINE = '_quarantine';

/** Quarantined records listed in the answer at most (all are in the quarantine file). */
export const LISTED_QUARANTINE = 50;

/** Where every record of the prospects file went: read = scored + duplicates + quarantined. */
export interface ProspectLedger {
  file: string;
  read: number;
  scored: number;
  /** Exact copies of an earlier row, scored once. */
  duplicates: number;
  quarantined: number;
  quarantinedByReason: Partial<Record<QuarantineReason, number>>;
  /** The first LISTED_QUARANTINE quarantined records. */
  examples: { line: number; column: string | null; reason: string; detail: string }[];
}

export interface StagedProspects {
  columns: ProspectColumns;
  ledger: ProspectLedger;
}

type Format = Source['format'];

function formatOf(path: string): Format {
  const ext = extname(path).toLowerCase();
  if (ext === '.parquet') return 'parquet';
  if (ext === '.json' || ext === '.jsonl' || ext === '.ndjson') return 'json';
  return 'csv';
}

/** The header of a delimited file and how it is written, from its first bytes (data rows are DuckDB's to read). */
async function csvHeader(path: string): Promise<{ names: string[]; delimiter: string; encoding: Encoding }> {
  const handle = await open(path, 'r');
  try {
    const head = new Uint8Array(64 * 1024);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    const bytes = head.subarray(0, bytesRead);
    const encoding = detectEncoding(bytes).encoding;
    const text = decodeUnit(Buffer.from(bytes), encoding);
    const delimiter = sniffDelimiter(text, bytesRead < head.length).delimiter;
    const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
    return { names: headerNames([splitHeaderFields(firstLine, delimiter, '"')], { names_row: 1, merge_header_rows: false }), delimiter, encoding };
  } finally {
    await handle.close();
  }
}

async function structuredHeader(engine: Engine, path: string, format: 'parquet' | 'json'): Promise<string[]> {
  const d = engine.dialect;
  const reader = format === 'parquet' ? `read_parquet(${d.literal(path)})` : `read_json_auto(${d.literal(path)}, format = 'auto', union_by_name = true)`;
  try {
    const rows = await engine.query(`DESCRIBE SELECT * FROM ${reader}`);
    return rows.map((r) => String(r['column_name']));
  } catch (error) {
    throw new UserError('source_unreadable', `${basename(path)} could not be read as ${format}: ${(error as Error).message.split('\n')[0] ?? ''}`, { hint: 'Check that the file is complete.', file: path, cause: error });
  }
}

function withColumn(spec: AttributeSpec, column: string): AttributeSpec {
  if (typeof spec === 'string') return { column, type: 'string' };
  const { value: _value, ...rest } = spec;
  return { ...rest, column };
}

/**
 * Read a prospects file (CSV, Parquet or JSON) through the importer's own
 * path into `engine` (an in-memory DuckDB): DuckDB's readers, every record
 * either typed or quarantined with its line, column and reason, each
 * attribute read exactly as cxray.yaml reads the customers' (its type, map,
 * format and default). Leaves PROSPECTS_TABLE (`_line`, `id`, and a column
 * per attribute used, named as in customer_facts) and PROSPECT_QUARANTINE.
 */
export async function stageProspects(
  engine: Engine,
  config: CxrayConfig,
  file: { abs: string; display: string },
  options: { asOf: string; model: readonly ModelAttribute[]; attributes: readonly AttributeInfo[]; leftOut: ReadonlyMap<string, string>; idColumn?: string },
): Promise<StagedProspects> {
  const d = engine.dialect;
  const q = d.quoteIdent;
  let bytes: number;
  try {
    const info = await stat(file.abs);
    if (info.isDirectory()) throw new UserError('source_unreadable', `${file.display} is a folder, not a file.`, { hint: 'Give the prospects file itself.', file: file.display });
    bytes = info.size;
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError('source_missing', `Cannot read ${file.display}: no such file.`, { hint: 'Check the path of the prospects file.', file: file.display, cause: error });
  }
  if (bytes === 0) throw new UserError('source_empty', `${file.display} is empty.`, { hint: 'Export the prospects again.', file: file.display });
  const format = formatOf(file.abs);
  const csv = format === 'csv' ? await csvHeader(file.abs) : null;
  const header = csv?.names ?? (await structuredHeader(engine, file.abs, format as 'parquet' | 'json'));
  const columns = matchProspectColumns(header, config, options.model, options.attributes, options.leftOut, options.idColumn);
  if (columns.used.length === 0) {
    throw new UserError('prospects_no_attributes', `No column of ${file.display} is a customer attribute the model uses, so every prospect would score the same.`, {
      hint: `Name the columns as the customers export does: ${columns.missing.map((m) => m.expected.map((e) => JSON.stringify(e)).join(' or ')).join('; ')}.`,
      file: file.display,
    });
  }
  const attributeSpecsUsed: Record<string, AttributeSpec> = {};
  for (const u of columns.used) {
    const spec = attributeSpecs(config, u.attribute)[0] ?? u.column;
    attributeSpecsUsed[u.attribute] = withColumn(spec, u.column);
  }
  const source = sourceSchema.parse({
    files: [file.abs],
    format,
    ...(csv === null ? {} : { csv: { delimiter: csv.delimiter, encoding: csv.encoding } }),
    row_key: [columns.id],
    feeds: [{ table: 'customers', columns: { customer_id: columns.id }, attributes: attributeSpecsUsed }],
  });
  const staged = await stageSource(engine, config, 'prospects', source, [{ display: file.display, abs: file.abs, sha256: '', bytes }], { asOf: options.asOf, salt: '' });
  await writeQuarantine(engine, [staged]);
  const feed = staged.feeds[0];
  if (feed === undefined) throw new Error('the prospects feed was not staged');
  const byName = new Map(options.attributes.map((a) => [a.source, a]));
  const typed = columns.used.map((u) => `f.${q(u.attribute)} AS ${q(byName.get(u.attribute)?.name ?? u.attribute)}`);
  await engine.exec(
    `CREATE OR REPLACE TABLE ${q(PROSPECTS_TABLE)} AS
     SELECT f._line, f.customer_id AS id${typed.map((t) => `, ${t}`).join('')}
     FROM ${q(feed.table)} f JOIN ${q(staged.outcomes)} o ON o._file = f._file AND o._unit = f._unit
     WHERE o.status = 'inserted' ORDER BY f._line`,
  );
  const statuses = await engine.query(`SELECT status, count(*) AS n FROM ${q(staged.outcomes)} GROUP BY status`);
  const count = (status: string): number => Number(statuses.find((r) => r['status'] === status)?.['n'] ?? 0);
  const reasons = await engine.query(`SELECT reason, count(*) AS n FROM ${q(PROSPECT_QUARANTINE)} GROUP BY reason`);
  const examples = await engine.query(`SELECT line, "column", reason, detail FROM ${q(PROSPECT_QUARANTINE)} ORDER BY line LIMIT ${LISTED_QUARANTINE}`);
  const quarantined = reasons.reduce((s, r) => s + Number(r['n'] ?? 0), 0);
  const scored = count('inserted');
  const duplicates = count('duplicate');
  for (const table of [staged.marked, staged.outcomes, feed.table]) await engine.exec(`DROP TABLE IF EXISTS ${q(table)}`);
  return {
    columns,
    ledger: {
      file: file.display,
      read: scored + duplicates + quarantined + count('excluded'),
      scored,
      duplicates,
      quarantined,
      quarantinedByReason: Object.fromEntries(reasons.map((r) => [String(r['reason']), Number(r['n'] ?? 0)])),
      examples: examples.map((r) => ({ line: Number(r['line']), column: (r['column'] as string | null) ?? null, reason: String(r['reason']), detail: String(r['detail']) })),
    },
  };
}
