import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsvRecords } from '../init/read/parse-csv-records.js';
import { checkHostileFile } from './check-hostile-file.js';
import { FORMULA_CELLS, HOSTILE_KINDS, hostileFile } from './hostile-files.js';
import { summariseHostile } from './hostile-summary.js';
import { runHostileFiles } from './run-hostile.js';

/** The CI run: issue 10 asks for 200 files here; scripts/hostile-files.ts runs the long one. */
const CI_SEED = 10;
const CI_FILES = 200;

const records = (bytes: Buffer, encoding: 'utf8' | 'utf16le' = 'utf8'): string[][] =>
  parseCsvRecords(bytes.toString(encoding).replace(/^\uFEFF/, ''), ',', Number.MAX_SAFE_INTEGER, true);

describe('hostileFile', () => {
  it('is a pure function of (seed, index), and any HOSTILE_KINDS.length (29) files in a row hold every kind', () => {
    expect(hostileFile(3, 41).bytes.equals(hostileFile(3, 41).bytes)).toBe(true);
    expect(hostileFile(3, 41).bytes.equals(hostileFile(4, 41).bytes)).toBe(false);
    const kinds = new Set(Array.from({ length: HOSTILE_KINDS.length }, (_, i) => hostileFile(5, 100 + i).kind));
    expect(kinds.size).toBe(HOSTILE_KINDS.length);
    // Neighbouring files do not all start from the same export.
    expect(new Set(Array.from({ length: 20 }, (_, i) => hostileFile(1, i).base)).size).toBeGreaterThan(2);
  });

  it('writes the defect each kind names', () => {
    const of = (kind: (typeof HOSTILE_KINDS)[number], seed = 7) => hostileFile(seed, HOSTILE_KINDS.indexOf(kind) + HOSTILE_KINDS.length * 3);
    expect(of('empty_file').bytes.length).toBeLessThanOrEqual(7);
    expect([...of('utf16_bom').bytes.subarray(0, 2)]).toEqual([0xff, 0xfe]);
    expect([...of('utf8_bom').bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(records(of('wide_10k_columns').bytes)[0]).toHaveLength(10_000);
    expect(Math.max(...records(of('field_1mb').bytes).flat().map((c) => c.length))).toBeGreaterThanOrEqual(1_048_576);
    expect(records(of('header_only').bytes)).toHaveLength(of('header_only').base === 'qualtrics-survey' ? 3 : 1);
    expect(of('cr_line_endings').bytes.toString('utf8').split('\r').length).toBeGreaterThan(50);
    expect(of('binary_garbage').planted).toEqual([]);
    const formulas = of('formula_injection').planted.filter((p) => p.formula);
    expect(formulas.length).toBeGreaterThanOrEqual(2);
    for (const p of formulas) expect(FORMULA_CELLS).toContain(p.value);
    const dates = of('dates_out_of_range').planted;
    expect(dates.some((p) => p.readable === false && p.line !== null)).toBe(true);
    // The planted line holds the planted value.
    // (Bases without an amount column get nothing planted: take the first that has one.)
    const file = [7, 8, 9, 10, 11, 12].map((seed) => of('amounts_eu_in_us', seed)).find((f) => f.planted.length > 0);
    const planted = file?.planted[0];
    if (file === undefined || planted === undefined) throw new Error('no amounts_eu_in_us file with a planted amount');
    const lines = file.bytes.toString('utf8').split('\n');
    expect(planted.line).not.toBeNull();
    expect(lines[(planted.line ?? 1) - 1]).toContain(planted.value);
  });
});

describe(`${CI_FILES} hostile files through cxray init and import`, () => {
  let workDir: string;
  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'cxray-hostile-'));
  });
  afterAll(async () => {
    await rm(workDir, { recursive: true, force: true });
  });

  it('ends every file in a clear user error or a balanced import, never a crash, a hang or a silent loss', async () => {
    const started = Date.now();
    const results = await runHostileFiles({ seed: CI_SEED, indexes: Array.from({ length: CI_FILES }, (_, i) => i), workDir, timeLimitMs: 30_000 });
    const summary = summariseHostile(results, { seed: CI_SEED, durationMs: Date.now() - started });
    // A failure names its seed, index and kind: replay with scripts/hostile-files.ts --seed 10 --only INDEX --keep.
    expect(summary.failures).toEqual([]);
    expect(Object.keys(summary.byKind).sort()).toEqual([...HOSTILE_KINDS].sort());
    expect(summary.outcomes.imports).toBeGreaterThan(CI_FILES / 2);
    for (const kind of ['empty_file', 'binary_garbage', 'header_only', 'wide_10k_columns'] as const) {
      expect(summary.byKind[kind]?.imports, kind).toBe(0);
    }
    // The checks that need a store had something to check.
    expect(summary.formulaCells.verbatim).toBeGreaterThan(0);
    expect(summary.plantedChecked).toBeGreaterThan(0);
    expect(summary.rows.quarantined).toBeGreaterThan(0);
    // A bound on a hang of the run itself, not a speed aim: 200 files take 50 s on a quiet machine and
    // over 200 s while the other test worker runs the seeds (each file still has its own 30 s limit).
  }, 900_000);

  it('fails a file whose rows go missing, or whose unreadable value is loaded', async () => {
    // A clean Stripe payments file, told wrong things about itself: the checks must catch both.
    const clean = Array.from({ length: 40 }, (_, k) => hostileFile(k, 0)).find((f) => f.base === 'stripe-payments');
    if (clean === undefined || clean.records === null) throw new Error('no clean stripe-payments file in seeds 0..39');
    const missing = await checkHostileFile({ ...clean, records: clean.records + 1 }, join(workDir, 'missing'));
    expect(missing.outcome).toMatchObject({ status: 'failure', stage: 'check', problem: expect.stringContaining(`read ${clean.records} records, the file has ${clean.records + 1}`) as unknown });
    const value = clean.bytes.toString('utf8').split('\n')[1]?.split(',')[2] ?? '';
    const loaded = await checkHostileFile({ ...clean, planted: [{ row: 0, column: 'Created (UTC)', value, readable: false, formula: false, text: false, line: 2 }] }, join(workDir, 'loaded'));
    expect(loaded.outcome).toMatchObject({ status: 'failure', problem: expect.stringContaining('was loaded into transactions instead of quarantined') as unknown });
  });

  it('records a file that runs past its time limit as a hang, and goes on with a fresh worker', async () => {
    const results = await runHostileFiles({ seed: CI_SEED, indexes: [0, 1], workDir, timeLimitMs: 1 });
    expect(results.map((r) => [r.index, r.kind, r.outcome.status, r.outcome.status === 'failure' ? r.outcome.stage : null])).toEqual([
      [0, 'clean', 'failure', 'timeout'],
      [1, 'truncated_mid_row', 'failure', 'timeout'],
    ]);
  });
});
