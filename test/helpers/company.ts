import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from './cli.js';

/** Companies the global setup simulates once per run (see test/global-setup.ts). */
export const STANDARD_COMPANIES = [{ customers: 20_000, seed: 1 }] as const;

/** The cache is keyed by the simulator's source, so a changed simulator never serves stale files. */
function simulatorHash(): string {
  const dir = join(REPO, 'src', 'simulate');
  const hash = createHash('sha256');
  const names = (readdirSync(dir, { recursive: true }) as string[]).filter((n) => n.endsWith('.ts') && !n.endsWith('.test.ts')).sort();
  for (const name of names) hash.update(name).update(readFileSync(join(dir, name)));
  return hash.digest('hex').slice(0, 12);
}

const HASH = simulatorHash();

export function companyDir(customers: number, seed: number): string {
  return join(REPO, '.cache', 'companies', `c${customers}-s${seed}-${HASH}`);
}

/** The folder of a standard company's exports; throws if the global setup did not make it. */
export function standardCompany(customers = 20_000, seed = 1): string {
  const dir = companyDir(customers, seed);
  if (!existsSync(join(dir, 'truth.json'))) throw new Error(`The simulated company ${dir} is missing: the global setup makes it.`);
  return dir;
}

/**
 * A simulated company's exports, simulated on first use and kept beside the
 * standard companies (companyDir: .cache/companies, keyed by the
 * simulator's source), shared by the test files after (read them, never
 * write). Workspaces over the same files also share their import
 * (import-cache.ts).
 */
export async function sharedCompany(customers: number, seed: number): Promise<string> {
  const { mkdir, mkdtemp, rename, rm } = await import('node:fs/promises');
  const { dirname } = await import('node:path');
  const { simulateCompany } = await import('../../src/simulate/index.js');
  const dir = companyDir(customers, seed);
  if (existsSync(join(dir, 'truth.json'))) return dir;
  await mkdir(dirname(dir), { recursive: true });
  const staging = await mkdtemp(`${dir}-staging-`);
  await simulateCompany({ customers, seed, outDir: staging });
  // Another worker may have made it meanwhile: the same seed makes the same files.
  await rename(staging, dir).catch(async () => rm(staging, { recursive: true, force: true }));
  return dir;
}
