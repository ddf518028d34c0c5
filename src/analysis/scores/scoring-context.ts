import type { Row } from '../../engine/types.js';
import type { CanonicalTableName } from '../../model/tables.js';
import { readFactsCatalogue } from '../facts-catalogue.js';
import type { Result } from '../result.js';
import { customerScope, runAnalyses, type AnalyzeInputs } from '../run-analyses.js';
import { practicalThresholds } from '../thresholds.js';
import type { AnalysisContext } from '../types.js';
import { ANALYSIS_SEED, CXRAY_VERSION } from '../version.js';
import type { AnalysisName } from '../names.js';

/**
 * What the scoring commands (`score-prospects`, `export scores`) read: one
 * import version's engine and ledger, its config, and where its stored
 * Results live (null: neither read nor written, as in tests).
 */
export type ScoringInputs = Pick<AnalyzeInputs, 'workspace' | 'engine' | 'ledger' | 'config' | 'configHash' | 'resultsDir'>;

/**
 * An AnalysisContext over the whole store version (no period), for per-customer
 * SQL outside an analyze run: the same catalogue, thresholds and scope as
 * runAnalyses builds, the segment rule (if any) restricting the scope.
 */
export async function scoringContext(inputs: ScoringInputs, segment?: string): Promise<AnalysisContext> {
  const { engine, config, ledger } = inputs;
  const facts = await readFactsCatalogue(engine, config);
  const scope = await customerScope(inputs, segment === undefined ? {} : { segment }, facts.columns);
  return {
    engine,
    config,
    asOf: ledger.asOf,
    importVersion: ledger.version,
    tableRows: ledger.tables as Partial<Record<CanonicalTableName, number>>,
    facts,
    scope,
    period: null,
    thresholds: practicalThresholds(config),
    provenance: {
      cxrayVersion: CXRAY_VERSION,
      configHash: inputs.configHash,
      inputHashes: Object.fromEntries(ledger.files.map((f) => [f.file, f.sha256])),
      seed: ANALYSIS_SEED,
      filter: scope.segment === null ? {} : { segment: scope.segment.rule },
    },
    dependencies: new Map(),
    queryCache: new Map<string, Promise<Row[]>>(),
  };
}

/**
 * One analysis's Result over the whole base, as `cxray analyze NAME` gives
 * it: reused from the result store while import, config and code are
 * unchanged, else computed (with its dependencies) and stored.
 */
export async function wholeBaseResult(inputs: ScoringInputs, name: AnalysisName): Promise<Result> {
  const output = await runAnalyses({ ...inputs, snapshotsDir: null }, { names: [name] });
  const result = output.results.find((r) => r.name === name);
  if (result === undefined) throw new Error(`analyze returned no ${name} result`);
  return result;
}
