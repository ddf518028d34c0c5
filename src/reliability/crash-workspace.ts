import { appendFile, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { simulateCompany } from '../simulate/index.js';
import type { Rng } from '../simulate/random.js';
import { parseJsonOutput, runCli } from './cli-process.js';

export type CrashEngine = 'duckdb' | 'clickhouse';

export interface CrashWorkspaceOptions {
  dir: string;
  customers: number;
  seed: number;
  engine: CrashEngine;
  /** ClickHouse: the prefix of the version databases (`<database>_v000001`). */
  database?: string;
}

/**
 * A workspace over a simulated company, set up as a user would: the
 * simulator's exports under exports/, then `cxray init` (the built CLI, the
 * same code the imports under test run), and on ClickHouse an engine block
 * with a database prefix of the caller's.
 */
export async function makeCrashWorkspace(options: CrashWorkspaceOptions): Promise<void> {
  const exportsDir = join(options.dir, 'exports');
  await simulateCompany({ customers: options.customers, seed: options.seed, outDir: exportsDir });
  const files = (await readdir(exportsDir)).filter((f) => f.endsWith('.csv')).map((f) => join(exportsDir, f));
  const init = await runCli(['init', '--workspace', options.dir, '--from', ...files, '--json']);
  if (init.code !== 0) throw new Error(`cxray init failed (exit ${String(init.code)}): ${init.stderr.slice(-2000)} ${init.stdout.slice(-2000)}`);
  parseJsonOutput(init, 'cxray init');
  if (options.engine === 'clickhouse') {
    if (options.database === undefined) throw new Error('a ClickHouse crash workspace needs a database prefix');
    await appendFile(join(options.dir, 'cxray.yaml'), `\n# the crash loop's store: the local two-shard cluster\nengine:\n  clickhouse:\n    database: ${options.database}\n`);
  }
}

/** What one round changed in the exports before the import that gets killed. */
export interface Mutation {
  kind: 'new-customers' | 'new-events' | 'changed-amount';
  file: string;
  /** Rows appended (0 when a value was altered). */
  appended: number;
  detail: string;
}

interface CsvFile {
  path: string;
  name: string;
  header: string[];
  lines: string[];
}

async function findExport(dir: string, firstColumns: string): Promise<CsvFile> {
  const exportsDir = join(dir, 'exports');
  for (const name of (await readdir(exportsDir)).filter((n) => n.endsWith('.csv')).sort()) {
    const path = join(exportsDir, name);
    const text = await readFile(path, 'utf8');
    if (!text.startsWith(firstColumns)) continue;
    const lines = text.split('\n');
    if (lines.at(-1) === '') lines.pop();
    return { path, name, header: (lines[0] ?? '').split(','), lines };
  }
  throw new Error(`no export under ${exportsDir} starts with the columns ${firstColumns}`);
}

function column(file: CsvFile, name: string): number {
  const index = file.header.indexOf(name);
  if (index < 0) throw new Error(`${file.name} has no column ${name}`);
  return index;
}

/**
 * A data line to copy or alter: one without quotes (so splitting on commas
 * is the CSV's own split) and with the header's number of fields.
 */
function plainLine(file: CsvFile, rng: Rng): { index: number; fields: string[] } {
  for (let attempt = 0; attempt < 1000; attempt += 1) {
    const index = rng.int(1, file.lines.length - 1);
    const line = file.lines[index] ?? '';
    const fields = line.split(',');
    if (!line.includes('"') && fields.length === file.header.length) return { index, fields };
  }
  throw new Error(`${file.name}: no plain data line found`);
}

const write = (file: CsvFile): Promise<void> => writeFile(file.path, `${file.lines.join('\n')}\n`);

/**
 * Changes the exports a little, as the next day's exports would: new
 * customers in the CRM export, new web events, or one payment's amount
 * corrected. Seeded: the same round of the same seed changes the same rows.
 */
export async function mutateExports(dir: string, rng: Rng, round: number): Promise<Mutation> {
  const kind = rng.pick(['new-customers', 'new-events', 'changed-amount'] as const);
  if (kind === 'new-customers') {
    const file = await findExport(dir, 'Record ID,');
    const [id, email] = [column(file, 'Record ID'), column(file, 'Email')];
    const count = rng.int(1, 5);
    for (let i = 0; i < count; i += 1) {
      const { fields } = plainLine(file, rng);
      fields[id] = String(90_000_000 + round * 10 + i);
      fields[email] = `crash.round${round}.${i}@example.com`;
      file.lines.push(fields.join(','));
    }
    await write(file);
    return { kind, file: file.name, appended: count, detail: `${count} new customers (Record ID ${90_000_000 + round * 10}..)` };
  }
  if (kind === 'new-events') {
    const file = await findExport(dir, 'event_date,');
    const at = column(file, 'event_timestamp');
    const count = rng.int(5, 50);
    for (let i = 0; i < count; i += 1) {
      const { fields } = plainLine(file, rng);
      // One microsecond per round and copy later than the copied event: a new event, never an exact duplicate.
      fields[at] = String(BigInt(fields[at] ?? '0') + BigInt(round * 100 + i + 1));
      file.lines.push(fields.join(','));
    }
    await write(file);
    return { kind, file: file.name, appended: count, detail: `${count} new events` };
  }
  const file = await findExport(dir, 'id,Created date (UTC),');
  const amount = column(file, 'Amount');
  for (let attempt = 0; attempt < 1000; attempt += 1) {
    const { index, fields } = plainLine(file, rng);
    const value = Number(fields[amount]);
    if (!/^\d+\.\d{2}$/.test(fields[amount] ?? '') || !Number.isFinite(value)) continue;
    const before = fields[amount] ?? '';
    fields[amount] = (value + 0.01).toFixed(2);
    file.lines[index] = fields.join(',');
    await write(file);
    return { kind, file: file.name, appended: 0, detail: `line ${index + 1}: Amount ${before} -> ${fields[amount]}` };
  }
  throw new Error(`${file.name}: no plain amount to alter`);
}
