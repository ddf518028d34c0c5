import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CxrayConfig } from '../../config/schema.js';
import type { Engine } from '../../engine/types.js';
import type { ImportLedger } from '../../model/ledger.js';
import { Workspace } from '../../workspace/workspace.js';
import type { Result } from '../result.js';
import { runAnalyses } from '../run-analyses.js';
import type { Analysis, AnalysisFilter } from '../types.js';
import { lifetimeValueAnalysis } from './index.js';
import { runLifetimeValue } from './run-lifetime-value.js';
import { lifetimeValueModel, type LifetimeValueModel } from './scores.js';

/** The CDNOW 2,357-customer sample as shipped (whitespace-aligned text, CRLF, no header). */
export const CDNOW_SAMPLE = fileURLToPath(new URL('../../../test/fixtures/cdnow/CDNOW_sample.txt', import.meta.url));

/**
 * A workspace importing CDNOW_sample.txt through cxray itself: purchases with
 * customer id = sample id, date = YYYYMMDD, amount = dollars, customers
 * derived from the purchases.
 */
export function makeCdnowWorkspace(options: { asOf: string; calibrationEnd?: string; extra?: string }): string {
  const dir = mkdtempSync(join(tmpdir(), 'cxray-cdnow-'));
  const lifetime = options.calibrationEnd === undefined ? '' : `lifetime_value: {calibration_end: ${options.calibrationEnd}, time_unit: week}\n`;
  writeFileSync(
    join(dir, 'cxray.yaml'),
    `as_of: ${options.asOf}
currency: USD
${lifetime}${options.extra ?? ''}sources:
  cdnow:
    files: [${JSON.stringify(CDNOW_SAMPLE)}]
    csv: {delimiter: whitespace, header_rows: 0, column_names: [master_id, sample_id, date, cds, dollars]}
    feeds:
      - table: transactions
        columns: {customer_id: sample_id, at: {column: date, format: yyyymmdd}, amount: dollars, currency: {value: USD}, kind: {value: purchase}}
`,
  );
  return dir;
}

export interface AnalysedWorkspace {
  result: Result;
  model: LifetimeValueModel;
}

/** Runs lifetime-value on an imported workspace's store, keeping the model it was built from. */
export async function analyseLifetimeValue(
  workspace: string,
  engine: Engine,
  ledger: ImportLedger,
  filter: AnalysisFilter = {},
  lifetime?: CxrayConfig['lifetime_value'],
): Promise<AnalysedWorkspace> {
  const loaded = await new Workspace(workspace).config();
  const config = lifetime === undefined ? loaded.config : { ...loaded.config, lifetime_value: lifetime };
  const hash = loaded.hash;
  let model: LifetimeValueModel | null = null;
  const capturing: Analysis = {
    ...lifetimeValueAnalysis,
    run: async (ctx) => {
      model = await lifetimeValueModel(ctx);
      return runLifetimeValue(ctx, lifetimeValueAnalysis, model);
    },
  };
  const out = await runAnalyses({ workspace, engine, ledger, config, configHash: hash, resultsDir: null, snapshotsDir: null, analyses: [capturing] }, { names: ['lifetime-value'], filter });
  const [result] = out.results;
  if (result === undefined || model === null) throw new Error('lifetime-value did not run');
  return { result, model };
}
