import { appendFileSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { standardCompany } from '../../../test/helpers/company.js';
import { initWorkspace } from '../../init/index.js';
import { companyCostsYaml } from '../../simulate/index.js';
import { readTruth, type Truth } from '../../simulate/truth.js';
import { Workspace } from '../../workspace/workspace.js';
import { importCached } from '../../../test/helpers/import-cache.js';

/**
 * The standard simulated company (20,000 customers, seed 1) through init and
 * import, with its support costs appended (companyCostsYaml: without them
 * every ticket costs nothing and no segment can lose money to support).
 */
export async function importStandardCompany(prefix: string): Promise<{ ws: Workspace; truth: Truth }> {
  const company = standardCompany();
  const truth = await readTruth(join(company, 'truth.json'));
  const dir = mkdtempSync(join(tmpdir(), `cxray-${prefix}-`));
  const files = readdirSync(company).filter((f) => f.endsWith('.csv')).map((f) => join(company, f));
  await initWorkspace({ dir, from: files, force: false });
  appendFileSync(join(dir, 'cxray.yaml'), companyCostsYaml());
  const ws = new Workspace(dir);
  await importCached(ws);
  return { ws, truth };
}

/** The simulator's profile fields as the customer attributes `cxray init` maps them to. */
export const PROFILE_ATTRIBUTES = { channel: 'acquisition_channel', contractType: 'contract_type', segment: 'segment' } as const;
