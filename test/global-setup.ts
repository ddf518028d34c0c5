import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { simulateCompany } from '../src/simulate/index.js';
import { STANDARD_COMPANIES, companyDir } from './helpers/company.js';
import { join } from 'node:path';

/**
 * Runs once per test run: pins the time zone and simulates the standard
 * companies, cached under .cache/ so that test files share them.
 */
export default async function setup(): Promise<void> {
  process.env['TZ'] = 'UTC';
  for (const { customers, seed } of STANDARD_COMPANIES) {
    const dir = companyDir(customers, seed);
    if (existsSync(join(dir, 'truth.json'))) continue;
    await rm(dir, { recursive: true, force: true });
    await simulateCompany({ customers, seed, outDir: dir });
  }
}
