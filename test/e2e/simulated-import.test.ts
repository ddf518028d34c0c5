import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readTruth, type Truth } from '../../src/simulate/truth.js';
import type { ImportLedger } from '../../src/model/ledger.js';
import { Workspace } from '../../src/workspace/workspace.js';
import { cxray } from '../helpers/cli.js';
import { standardCompany } from '../helpers/company.js';

let company: string;
let workspace: string;
let truth: Truth;
let ledger: ImportLedger;

beforeAll(async () => {
  company = standardCompany();
  truth = await readTruth(join(company, 'truth.json'));
  workspace = mkdtempSync(join(tmpdir(), 'cxray-sim-'));
  const files = readdirSync(company).filter((f) => f.endsWith('.csv')).map((f) => join(company, f));
  const init = cxray(['init', '--workspace', workspace, '--from', ...files, '--json']);
  expect(init.code, init.stdout + init.stderr).toBe(0);
  const run = cxray(['import', '--workspace', workspace, '--json']);
  expect(run.code, run.stdout + run.stderr).toBe(0);
  ledger = (JSON.parse(run.stdout) as { ledger: ImportLedger }).ledger;
});

describe('the simulated company through init + import, config unedited', () => {
  it('quarantines exactly the planted bad rows, by file, line and reason', async () => {
    const store = await new Workspace(workspace).openStore();
    try {
      const rows = await store.engine.query<{ file: string; line: bigint; reason: string }>('SELECT file, line, reason FROM _quarantine');
      const got = rows.map((r) => `${basename(r.file)}:${r.line}:${r.reason}`).sort();
      const planted = truth.badRows.map((r) => `${basename(r.file)}:${r.line}:${r.reason}`).sort();
      expect(got).toEqual(planted);
    } finally {
      await store.close();
    }
  });

  it('drops the planted exact duplicates, excludes the survey previews, and balances every ledger', () => {
    const byFile = new Map(ledger.files.map((f) => [basename(f.file), f]));
    const duplicates = new Map<string, number>();
    for (const d of truth.exactDuplicates) duplicates.set(basename(d.file), (duplicates.get(basename(d.file)) ?? 0) + 1);
    for (const [file, n] of duplicates) expect(byFile.get(file)?.duplicates, file).toBe(n);
    const excluded = new Map<string, number>();
    for (const e of truth.excluded) excluded.set(basename(e.file), (excluded.get(basename(e.file)) ?? 0) + 1);
    for (const [file, n] of excluded) expect(byFile.get(file)?.excluded, file).toBe(n);
    for (const f of ledger.files) expect(f.read, f.file).toBe(f.loaded + f.quarantined);
    expect(ledger.tables['customers']).toBe(truth.customers);
  });

  it('recognises every export and leaves out what is not one', () => {
    const sources = new Set(ledger.files.map((f) => basename(f.file)));
    for (const file of readdirSync(company).filter((f) => f.endsWith('.csv') && !/^truth|prospect/.test(f))) expect(sources, file).toContain(file);
    expect([...sources].some((f) => /prospect|truth/.test(f))).toBe(false);
  });
});
