import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initWorkspace } from '../../init/index.js';
import type { ImportLedger } from '../../model/ledger.js';
import { Workspace } from '../../workspace/workspace.js';
import { importCached } from '../../../test/helpers/import-cache.js';

/** A workspace of a simulated company's exports, as `cxray init` maps them, imported; with extra cxray.yaml lines if given. */
export async function importCompany(company: string, prefix: string, yaml: (text: string) => string = (t) => t): Promise<{ dir: string; ws: Workspace; ledger: ImportLedger }> {
  const { readFileSync, writeFileSync } = await import('node:fs');
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const files = readdirSync(company).filter((f) => f.endsWith('.csv')).map((f) => join(company, f));
  await initWorkspace({ dir, from: files, force: false });
  const path = join(dir, 'cxray.yaml');
  writeFileSync(path, yaml(readFileSync(path, 'utf8')));
  const ws = new Workspace(dir);
  const ledger = await importCached(ws);
  return { dir, ws, ledger };
}
