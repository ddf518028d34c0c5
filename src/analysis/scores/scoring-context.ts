import type { Row } from '../../engine/types.js';
import { UserError } from '../../errors.js';
import { CUSTOMER_FACTS_TABLE } from '../../facts/index.js';
import type { CanonicalTableName } from '../../model/tables.js';
import { readFactsCatalogue } from '../facts-catalogue.js';
import type { Result } from '../result.js';
import { runAnalyses, type AnalyzeInputs } from '../run-analyses.js';
import { segmentCondition } from '../segment/index.js';
import { segmentValueHints } from '../segment/segment-hints.js';
import { practicalThresholds } from '../thresholds.js';
import type { AnalysisContext, CustomerScope } from '../types.js';
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
  const d = engine.dialect;
  const facts = await readFactsCatalogue(engine, config);
  const table = d.quoteIdent(CUSTOMER_FACTS_TABLE);
  const condition = segment === undefined ? null : segmentCondition(segment, facts.columns, engine);
  const count = async (where: string, params: Record<string, never> | NonNullable<typeof condition>['params']): Promise<number> => {
    const [row] = await engine.query(`SELECT count(*) AS ${d.quoteIdent('_n')} FROM ${table} WHERE ${where}`, params);
    return Number(row?.['_n'] ?? 0);
  };
  const allCustomers = await count('1 = 1', {});
  const customers = condition === null ? allCustomers : await count(condition.sql, condition.params);
  if (condition !== null && customers === 0) {
    const hints = await segmentValueHints(engine, CUSTOMER_FACTS_TABLE, condition.tree);
    throw new UserError('segment_empty', `The segment ${condition.rule} matches no customer.`, {
      hint: hints.length > 0 ? `${hints.join('; ')}.` : 'Loosen the rule; values are compared exactly (case matters).',
    });
  }
  const scope: CustomerScope = { table, where: condition?.sql ?? '1 = 1', params: condition?.params ?? {}, customers, allCustomers, segment: condition };
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
      filter: condition === null ? {} : { segment: condition.rule },
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
