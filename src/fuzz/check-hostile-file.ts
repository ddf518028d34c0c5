import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { CxrayError, UserError } from '../errors.js';
import type { ImportResult } from '../ingest/import.js';
import { initWorkspace } from '../init/init-workspace.js';
import { parseCsvRecords } from '../init/read/parse-csv-records.js';
import { QUARANTINE_REASONS } from '../model/ledger.js';
import { Workspace } from '../workspace/workspace.js';
import type { HostileFile, HostileKind } from './hostile-files.js';
import { checkStore, type StoreFindings } from './check-store.js';

/** What one hostile file did to `init` and `import`. */
export type HostileOutcome =
  | { status: 'user_error'; stage: 'init' | 'import'; code: string }
  | ({ status: 'imported'; read: number; loaded: number; inserted: number; quarantined: number; duplicates: number; excluded: number } & StoreFindings)
  | { status: 'failure'; stage: 'init' | 'import' | 'check' | 'timeout' | 'crash'; problem: string };

export interface HostileResult {
  seed: number;
  index: number;
  kind: HostileKind;
  parts: HostileKind[];
  base: string;
  bytes: number;
  durationMs: number;
  outcome: HostileOutcome;
}

/** Codes whose errors point at a place in the file, so they must carry its line. */
const LINE_CODES = new Set(['source_header_only', 'wrong_delimiter', 'mixed_line_endings', 'header_line_break', 'input_too_wide', 'source_too_wide', 'mixed_currencies']);
/** Cells a spreadsheet would run as a formula (OWASP CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;

function failure(stage: Extract<HostileOutcome, { status: 'failure' }>['stage'], problem: string): HostileOutcome {
  return { status: 'failure', stage, problem };
}

/**
 * A UserError is a good outcome only when a person can act on it: it names
 * the file, says where when a place is meaningful, and has a hint. At import
 * time, an error about cxray.yaml means init wrote a config that does not
 * fit the file it read: a bug, not the user's to fix.
 */
function classify(error: unknown, stage: 'init' | 'import', path: string): HostileOutcome {
  if (!(error instanceof UserError)) {
    const kind = error instanceof CxrayError ? `${error.name} ${error.code}` : error instanceof Error ? error.name : typeof error;
    return failure(stage, `${kind}: ${error instanceof Error ? error.message.slice(0, 400) : String(error)}`);
  }
  const problems: string[] = [];
  const name = basename(path);
  if (!(error.file !== undefined && basename(error.file) === name) && !error.message.includes(name)) problems.push('does not name the file');
  if (error.hint === undefined || error.hint.trim() === '') problems.push('has no hint');
  if (LINE_CODES.has(error.code) && error.line === undefined) problems.push('has no line');
  if (error.code === 'column_missing' && error.column === undefined) problems.push('has no column');
  if (stage === 'import' && (error.code.startsWith('config_') || error.code === 'column_missing')) problems.push('init wrote a config that import rejects');
  // init refuses a file without data rows: import finding none in a file init sampled rows from reads it differently.
  if (stage === 'import' && (error.code === 'source_header_only' || error.code === 'source_empty')) problems.push('import finds no rows where init read some');
  if (problems.length > 0) return failure(stage, `UserError ${error.code} ${problems.join(', ')}: ${error.message.slice(0, 300)}`);
  return { status: 'user_error', stage, code: error.code };
}

/**
 * The books of every file balance, every quarantined record has a known
 * reason, and the quarantine CSV of each source holds exactly its
 * quarantined records with no cell a spreadsheet would run as a formula.
 */
async function checkLedgerAndQuarantine(ws: Workspace, result: ImportResult): Promise<string[]> {
  const problems: string[] = [];
  const bySource = new Map<string, number>();
  for (const f of result.ledger.files) {
    if (f.read !== f.loaded + f.quarantined) problems.push(`${f.file}: read ${f.read} != loaded ${f.loaded} + quarantined ${f.quarantined}`);
    if (f.loaded !== f.inserted + f.duplicates + f.excluded) problems.push(`${f.file}: loaded ${f.loaded} != inserted + duplicates + excluded`);
    const byReason = Object.entries(f.quarantinedByReason);
    if (byReason.reduce((s, [, n]) => s + (n ?? 0), 0) !== f.quarantined) problems.push(`${f.file}: reasons do not add up to ${f.quarantined}`);
    for (const [reason] of byReason) if (!(reason in QUARANTINE_REASONS)) problems.push(`${f.file}: unknown reason ${reason}`);
    bySource.set(f.source, (bySource.get(f.source) ?? 0) + f.quarantined);
  }
  for (const [source, quarantined] of bySource) {
    const path = join(ws.paths.quarantine, `${source}.csv`);
    if (!existsSync(path)) {
      problems.push(`quarantine/${source}.csv is missing`);
      continue;
    }
    const records = parseCsvRecords(await readFile(path, 'utf8'), ',', Number.MAX_SAFE_INTEGER, true);
    if (records.length - 1 !== quarantined) problems.push(`quarantine/${source}.csv has ${records.length - 1} rows, the ledger ${quarantined}`);
    const formula = records.flat().find((cell) => FORMULA_START.test(cell));
    if (formula !== undefined) problems.push(`quarantine/${source}.csv has a formula cell: ${JSON.stringify(formula.slice(0, 60))}`);
  }
  return problems;
}

/** One file's result: what the file was, how long its check took, and the outcome. */
export function hostileResult(file: HostileFile, durationMs: number, outcome: HostileOutcome): HostileResult {
  return { seed: file.seed, index: file.index, kind: file.kind, parts: file.parts, base: file.base, bytes: file.bytes.length, durationMs, outcome };
}

/**
 * Run one hostile file through the real `cxray init` and `cxray import`
 * paths in its own workspace folder `dir`, and judge the outcome.
 */
export async function checkHostileFile(file: HostileFile, dir: string): Promise<HostileResult> {
  const started = Date.now();
  const done = (outcome: HostileOutcome): HostileResult => hostileResult(file, Date.now() - started, outcome);
  await mkdir(dir, { recursive: true });
  const path = join(dir, file.fileName);
  await writeFile(path, file.bytes);
  try {
    await initWorkspace({ dir, from: [path] });
  } catch (error) {
    return done(classify(error, 'init', path));
  }
  const ws = new Workspace(dir);
  let result: ImportResult;
  try {
    result = await ws.import({ memoryLimit: '1GB' });
  } catch (error) {
    return done(classify(error, 'import', path));
  }
  try {
    const problems = await checkLedgerAndQuarantine(ws, result);
    const { config } = await ws.config();
    const findings = await checkStore(ws, file, config, result.ledger);
    problems.push(...findings.problems);
    if (problems.length > 0) return done(failure('check', problems.join('; ')));
    const t = result.ledger.totals;
    return done({ status: 'imported', read: t.read, loaded: t.loaded, inserted: t.inserted, quarantined: t.quarantined, duplicates: t.duplicates, excluded: t.excluded, ...findings.counts });
  } catch (error) {
    return done(failure('check', `${(error as Error).name}: ${(error as Error).message.slice(0, 400)}`));
  }
}
