import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { DuckDbEngine } from '../../engine/duckdb/engine.js';
import { eraseReportSchema } from '../../workspace/erase-report.js';
import { customerId, makeEraseWorkspace } from '../../workspace/erase-workspace.case.js';
import { versionStoreFile } from '../../workspace/paths.js';
import { Workspace } from '../../workspace/workspace.js';
import { cxrayInProcess } from '../run-in-process.case.js';

// `cxray erase`, run in-process through main() as the binary runs it (argv
// in, exit code and stdout out), without a terminal (as under a script), on
// the erase test company (src/workspace/erase-workspace.case.ts).

const cxray = cxrayInProcess;

async function customersHeld(ws: Workspace, ids: readonly string[]): Promise<number> {
  const engine = await DuckDbEngine.open(versionStoreFile(ws.paths, 1), { readOnly: true });
  try {
    return Number((await engine.query<{ n: bigint }>('SELECT count(*) AS n FROM customers WHERE list_contains($ids, customer_id)', { ids: [...ids] }))[0]?.n ?? 0n);
  } finally {
    await engine.close();
  }
}

describe('cxray erase', () => {
  let dir: string;
  let ws: Workspace;
  beforeAll(async () => {
    dir = makeEraseWorkspace();
    ws = new Workspace(dir);
    await ws.import();
  }, 120_000);
  afterEach(() => vi.restoreAllMocks());

  it('refuses without --yes when there is no terminal to confirm on (exit 1), and erases nothing', async () => {
    const run = await cxray('erase', customerId(7), '--workspace', dir, '--json');
    expect(run.code).toBe(1);
    const { error } = JSON.parse(run.stdout) as { error: { code: string; message: string; hint: string } };
    expect(error.code).toBe('confirmation_required');
    expect(error.hint).toContain('--yes');
    expect(await customersHeld(ws, [customerId(7)])).toBe(1);
  });

  it('refuses no id and a blank id with the fix (exit 1)', async () => {
    for (const args of [['erase', '--yes'], ['erase', ' ', '--yes']]) {
      const run = await cxray(...args, '--workspace', dir, '--json');
      expect(run.code, run.stdout).toBe(1);
      expect((JSON.parse(run.stdout) as { error: { code: string } }).error.code).toBe('bad_customer_id');
    }
    const missing = await cxray('erase', '--from-file', join(dir, 'no-such-list.txt'), '--yes', '--workspace', dir, '--json');
    expect((JSON.parse(missing.stdout) as { error: { code: string } }).error.code).toBe('file_unreadable');
  });

  it('--yes --json: one JSON document, the ids from arguments and --from-file, erased and proven (exit 0)', async () => {
    writeFileSync(join(dir, 'requests.txt'), `${customerId(13)}\n\n${customerId(7)}\n`);
    const run = await cxray('erase', customerId(7), '--from-file', join(dir, 'requests.txt'), '--yes', '--workspace', dir, '--json');
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const report = eraseReportSchema.parse(JSON.parse(run.stdout));
    expect(report.customers).toEqual([
      { id: customerId(7), found: true },
      { id: customerId(13), found: true },
    ]);
    expect(report.proof.clean).toBe(true);
    expect(run.stderr).toBe('');
    expect(report.proof.notSearched).toContainEqual({ file: 'requests.txt', reason: 'the list of ids given to erase: the request itself' });
    expect(await customersHeld(ws, [customerId(7), customerId(13)])).toBe(0);
    rmSync(join(dir, 'requests.txt'));
  });

  it('text: what was removed where and the proof, for a person', async () => {
    const run = await cxray('erase', customerId(21), '--yes', '--workspace', dir);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^Erased 1 customer \(C-1021\) from 1 import version in [\d.]+ s\.\n {2}version 1 \(file rewritten, [\d.]+ MB -> [\d.]+ MB\): rows removed: .*customers 1/);
    expect(run.stdout).toMatch(/Proof: nothing found in \d+ text columns of \d+ tables in 1 version, \d+ text files and the bytes of 1 store file\./);
    expect(run.stdout).toContain('Your source exports still hold the customers');
  });

  it('a file of yours still naming a customer: the report on stdout, the error on stderr, exit 1', async () => {
    writeFileSync(join(dir, 'call-notes.md'), 'C-1030 wants a refund\n');
    const run = await cxray('erase', customerId(30), '--yes', '--workspace', dir);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^Erased 1 customer \(C-1030\)/);
    expect(run.stdout).toContain('Proof: still found in 1 place.');
    expect(run.stderr).toMatch(/^error: .*call-notes\.md \(line 1\)/);
    expect(run.stderr).toContain('hint: These files are not cxray');
    const json = await cxray('erase', customerId(30), '--yes', '--workspace', dir, '--json');
    expect(json.code).toBe(1);
    expect((JSON.parse(json.stdout) as { error: { code: string; file: string } }).error).toMatchObject({ code: 'erase_leftovers', file: 'call-notes.md' });
    rmSync(join(dir, 'call-notes.md'));
  });
});
