import { appendFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { initWorkspace } from '../../src/init/init-workspace.js';
import { companyCostsYaml, simulateCompany } from '../../src/simulate/index.js';
import { readTruth, type Truth } from '../../src/simulate/truth.js';
import { Workspace } from '../../src/workspace/workspace.js';
import { REPO } from './cli.js';
import { EXPERIMENT_SEED_YAML, recordSeedChange } from './changes-seeds.js';
import { QUARTER_END_SEED_YAML } from './quarter-end-seeds.js';

/** The seeds of the multi-seed validations (issues 4, 5 and 6), in two files so the two test workers share them. */
export const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] as const;

/** One seed's simulated company, imported once from the config `init` wrote plus the company's cost of an agent-minute. */
export interface SeedCompany {
  seed: number;
  root: string;
  /** The simulated exports. */
  exports: string;
  truth: Truth;
  /** The workspace folder. */
  dir: string;
  ws: Workspace;
}

/**
 * Simulates seed `seed` (20k customers) and imports it: every multi-seed
 * check of a seed reads this one workspace, so a seed is simulated and
 * imported once whatever the number of issues validated on it. The costs
 * block changes no figure of the profile (its money is revenue, fees and
 * refunds) and is what the value analyses need; the quarter-end window is
 * set to the simulator's push (10 days), which only quarter-end reads; the
 * simulator's A/B test is declared and its intervention stored as a change
 * (changes-seeds.ts), which only the changes analysis reads.
 * Remove `root` when done.
 */
export async function importSeedCompany(seed: number, customers = 20_000): Promise<SeedCompany> {
  const root = mkdtempSync(join(tmpdir(), `cxray-seed-${seed}-`));
  const exports = join(root, 'exports');
  await simulateCompany({ customers, seed, outDir: exports });
  const truth = await readTruth(join(exports, 'truth.json'));
  const dir = join(root, 'ws');
  await initWorkspace({ dir, from: readdirSync(exports).filter((f) => f.endsWith('.csv')).map((f) => join(exports, f)) });
  appendFileSync(join(dir, 'cxray.yaml'), companyCostsYaml() + QUARTER_END_SEED_YAML + EXPERIMENT_SEED_YAML);
  const ws = new Workspace(dir);
  await ws.import();
  await recordSeedChange(ws, truth);
  return { seed, root, exports, truth, dir, ws };
}

/** Where this run's per-seed outcomes go: one folder per `npm test` run (the global setup names it), shared by the test workers. */
function outcomeDir(group: string): string {
  const dir = join(REPO, '.cache', 'seed-outcomes', inject('seedRun'), group);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Keeps one seed's outcome of a criterion group, for the check over all seeds. */
export function recordOutcome(group: string, seed: number, outcome: unknown): void {
  writeFileSync(join(outcomeDir(group), `seed-${seed}.json`), JSON.stringify(outcome));
}

/**
 * The outcomes of `group` recorded so far in this run, by seed. Each seed
 * file checks the criteria over all seeds after its own seeds: the file that
 * finishes last sees every seed (the other's outcomes were written before its
 * own last seed ended), so the criteria are always checked once over all 10.
 */
export function recordedOutcomes<T>(group: string): Map<number, T> {
  const dir = outcomeDir(group);
  const out = new Map<number, T>();
  for (const name of readdirSync(dir)) {
    const match = /^seed-(\d+)\.json$/.exec(name);
    if (match !== null) out.set(Number(match[1]), JSON.parse(readFileSync(join(dir, name), 'utf8')) as T);
  }
  return out;
}

export function removeSeedCompany(company: SeedCompany): void {
  rmSync(company.root, { recursive: true, force: true });
}
