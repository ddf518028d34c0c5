import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { readdir, rm, stat } from 'node:fs/promises';
import { simulateCompany } from '../src/simulate/index.js';
import { REPO } from './helpers/cli.js';
import { STANDARD_COMPANIES, companyDir } from './helpers/company.js';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Names this run's folder of per-seed outcomes (test/helpers/seed-company.ts). */
    seedRun: string;
  }
}

/**
 * Runs once per test run: pins the time zone, names the run (for the
 * multi-seed outcomes the test workers share) and simulates the standard
 * companies, cached under .cache/ so that test files share them.
 *
 * Tests make many temporary workspaces (os.tmpdir()) and a failed test
 * leaves its folder behind; gigabytes piled up over runs. The run gets a
 * temporary folder of its own (TMPDIR, which the workers inherit: they are
 * forked after this), removed when the run ends, pass or fail. Another run
 * going at the same time keeps its own.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  process.env['TZ'] = 'UTC';
  const runTmp = mkdtempSync(join(tmpdir(), 'cxray-test-run-'));
  process.env['TMPDIR'] = runTmp;
  project.provide('seedRun', `${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}`);
  await forgetOldSeedRuns();
  for (const { customers, seed } of STANDARD_COMPANIES) {
    const dir = companyDir(customers, seed);
    if (existsSync(join(dir, 'truth.json'))) continue;
    await rm(dir, { recursive: true, force: true });
    await simulateCompany({ customers, seed, outDir: dir });
  }
  return async () => {
    await rm(runTmp, { recursive: true, force: true });
  };
}

/** Per-seed outcomes of runs over a day old: another run still going keeps its own. */
async function forgetOldSeedRuns(): Promise<void> {
  const root = join(REPO, '.cache', 'seed-outcomes');
  if (!existsSync(root)) return;
  for (const name of await readdir(root)) {
    const dir = join(root, name);
    if (Date.now() - (await stat(dir)).mtimeMs > 86_400_000) await rm(dir, { recursive: true, force: true });
  }
}
