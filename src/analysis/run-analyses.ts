import type { CxrayConfig } from '../config/schema.js';
import type { Engine, Row } from '../engine/types.js';
import { CxrayError, UserError } from '../errors.js';
import { CUSTOMER_FACTS_TABLE } from '../facts/index.js';
import type { ImportLedger } from '../model/ledger.js';
import type { CanonicalTableName } from '../model/tables.js';
import type { LinkedVersion } from '../workspace/link-version.js';
import { readFactsCatalogue, type FactsCatalogue } from './facts-catalogue.js';
import type { AnalysisName } from './names.js';
import { unmetNeeds } from './needs.js';
import { parsePeriod } from './period.js';
import { checkAnalysisNames, runOrder, ANALYSES } from './registry.js';
import { notRunResult } from './result-builder.js';
import { filterKey, isReusable, readStoredResult, resultFile, writeStoredResult } from './result-store.js';
import { resultSchema, type Provenance, type Result, type ResultFilter } from './result.js';
import { segmentCondition } from './segment/index.js';
import { segmentValueHints } from './segment/segment-hints.js';
import { isCategorical } from './profile/attributes.js';
import { pairedSums, type PairedSums } from './snapshots/paired.js';
import { recordSnapshot } from './snapshots/record-snapshot.js';
import type { Snapshot } from './snapshots/snapshot.js';
import { practicalThresholds } from './thresholds.js';
import type { Analysis, AnalysisContext, AnalysisFilter, CustomerScope } from './types.js';
import { ANALYSIS_SEED, CXRAY_VERSION } from './version.js';

export interface AnalyzeRequest {
  /** Analyses to run (with their dependencies); all when empty. */
  names?: readonly string[];
  filter?: AnalysisFilter;
  /** Recompute even when a stored result would answer. */
  fresh?: boolean;
  /** Compare the profile with this snapshot (id, id prefix or date) instead of the previous one. */
  against?: string;
  signal?: AbortSignal;
}

/** What `cxray analyze --json` prints. */
export interface AnalyzeOutput {
  workspace: string;
  importVersion: number;
  results: Result[];
}

export interface AnalyzeInputs {
  workspace: string;
  /** Read-only engine on the version analysed. */
  engine: Engine;
  ledger: ImportLedger;
  config: CxrayConfig;
  configHash: string;
  /** Folder for this version's stored results; null: neither read nor write them. */
  resultsDir: string | null;
  /** Folder of dated profile snapshots; null: none are read or written. */
  snapshotsDir?: string | null;
  /** The analyses to choose from (tests pass their own). */
  analyses?: readonly Analysis[];
  /** Another import version's tables on `engine`, to pair its customers with this version's (snapshot comparisons); null when its store is gone. */
  linkVersion?: (version: number) => Promise<LinkedVersion | null>;
}

/** Pairs the baseline snapshot's customers with this version's, by the levels it compared. */
function snapshotPairing(inputs: AnalyzeInputs, facts: FactsCatalogue): ((baseline: Snapshot) => Promise<PairedSums | null>) | undefined {
  const link = inputs.linkVersion;
  if (link === undefined) return undefined;
  return async (baseline) => {
    const linked = await link(baseline.importVersion);
    if (linked === null) return null;
    try {
      const levels = new Map<string, Set<string>>();
      for (const m of baseline.measures.mix) levels.set(m.attribute, (levels.get(m.attribute) ?? new Set()).add(m.level));
      return await pairedSums(inputs.engine, linked, facts.attributes.filter(isCategorical), levels);
    } finally {
      await linked.release();
    }
  };
}

/** The customers in scope of a filter's segment rule (all without one); a rule that matches nobody is a UserError with the nearest values. */
export async function customerScope(inputs: Pick<AnalyzeInputs, 'engine'>, filter: Pick<AnalysisFilter, 'segment'>, columns: AnalysisContext['facts']['columns']): Promise<CustomerScope> {
  const { engine } = inputs;
  const d = engine.dialect;
  const table = d.quoteIdent(CUSTOMER_FACTS_TABLE);
  const segment = filter.segment === undefined ? null : segmentCondition(filter.segment, columns, engine);
  const where = segment?.sql ?? '1 = 1';
  const params = segment?.params ?? {};
  const count = async (condition: string, p: Record<string, never> | typeof params): Promise<number> => {
    const [row] = await engine.query<{ _n: bigint }>(`SELECT count(*) AS ${d.quoteIdent('_n')} FROM ${table} WHERE ${condition}`, p);
    return Number(row?._n ?? 0n);
  };
  const allCustomers = await count('1 = 1', {});
  const customers = segment === null ? allCustomers : await count(where, params);
  if (segment !== null && customers === 0) {
    const hints = await segmentValueHints(engine, CUSTOMER_FACTS_TABLE, segment.tree);
    throw new UserError('segment_empty', `The segment ${segment.rule} matches no customer.`, {
      hint: hints.length > 0 ? `${hints.join('; ')}.` : 'Loosen the rule; values are compared exactly (case matters).',
    });
  }
  return {
    table,
    where,
    params,
    customers,
    allCustomers,
    segment,
  };
}

function provenanceOf(inputs: AnalyzeInputs, filter: ResultFilter): Provenance {
  return {
    cxrayVersion: CXRAY_VERSION,
    configHash: inputs.configHash,
    inputHashes: Object.fromEntries(inputs.ledger.files.map((f) => [f.file, f.sha256])),
    seed: ANALYSIS_SEED,
    filter,
  };
}

/** Results about fewer than the minimum cell count are suppressed, so an analysis of so few customers says only that. */
function tooFew(ctx: AnalysisContext): string | null {
  if (ctx.scope.customers >= ctx.thresholds.minimumCellCount) return null;
  const what = ctx.scope.segment === null ? 'This import holds' : `The segment ${ctx.scope.segment.rule} holds`;
  return `${what} fewer than ${ctx.thresholds.minimumCellCount} customers; results about groups this small are suppressed.`;
}

function reasonOf(error: unknown): string {
  if (error instanceof UserError) return `${error.message}${error.hint === undefined ? '' : ` ${error.hint}`}`;
  const message = error instanceof Error ? error.message.split('\n')[0] ?? error.message : String(error);
  const code = error instanceof CxrayError ? ` (${error.code})` : '';
  return `The analysis failed${code}: ${message}. This is a bug in cxray; run again with --debug and report it.`;
}

/**
 * Runs analyses on one import version: the filter applied from the start,
 * dependencies first, each result checked against the Result contract and
 * stored per version; a stored result is reused when import, config, filter
 * and code are unchanged.
 *
 * @example
 * const out = await runAnalyses(inputs, { names: ['profile'], filter: { segment: 'segment = retail' } });
 */
export async function runAnalyses(inputs: AnalyzeInputs, request: AnalyzeRequest = {}): Promise<AnalyzeOutput> {
  const analyses = inputs.analyses ?? ANALYSES;
  const requested = checkAnalysisNames(request.names ?? []);
  const order = runOrder(requested, analyses);
  const filter = request.filter ?? {};
  const asOf = inputs.ledger.asOf;
  const period = parsePeriod(filter.from, filter.to);
  const facts = await readFactsCatalogue(inputs.engine, inputs.config);
  const scope = await customerScope(inputs, filter, facts.columns);
  const resultFilter: ResultFilter = {
    ...(scope.segment === null ? {} : { segment: scope.segment.rule }),
    ...(filter.from === undefined ? {} : { from: filter.from }),
    ...(filter.to === undefined ? {} : { to: filter.to }),
  };
  const provenance = provenanceOf(inputs, resultFilter);
  const snapshots = filterKey(resultFilter) === null ? (inputs.snapshotsDir ?? null) : null;
  if (request.against !== undefined && snapshots === null) {
    throw new UserError('against_needs_whole_base', '--against compares snapshots of the whole customer base, so it cannot be combined with --segment, --from or --to.', {
      hint: 'Run `cxray analyze profile --against ID` without a filter.',
    });
  }
  const warnings =
    inputs.configHash === inputs.ledger.configHash
      ? []
      : [`cxray.yaml changed since import version ${inputs.ledger.version}; run \`cxray import\` so that the data follow it.`];
  const results = new Map<AnalysisName, Result>();
  const pairing = snapshotPairing(inputs, facts);
  const queryCache = new Map<string, Promise<Row[]>>();
  for (const analysis of order) {
    // An input that cannot be read (a damaged file): no stored result is reused, and the analysis, run, fails on it alone.
    const own = analysis.inputs === undefined ? {} : await analysis.inputs().catch(() => null);
    const analysisProvenance = own === null || Object.keys(own).length === 0 ? provenance : { ...provenance, inputHashes: { ...provenance.inputHashes, ...own } };
    const ctx: AnalysisContext = {
      engine: inputs.engine,
      config: inputs.config,
      asOf,
      importVersion: inputs.ledger.version,
      tableRows: inputs.ledger.tables as Partial<Record<CanonicalTableName, number>>,
      facts,
      scope,
      period,
      thresholds: practicalThresholds(inputs.config),
      provenance: analysisProvenance,
      dependencies: new Map(analysis.dependsOn.map((name) => [name, results.get(name)]).filter((e): e is [AnalysisName, Result] => e[1] !== undefined)),
      ...(request.signal === undefined ? {} : { signal: request.signal }),
      queryCache,
    };
    // A comparison against a chosen snapshot is neither read from nor kept in the result store.
    const custom = request.against !== undefined && analysis.name === 'profile';
    const file = inputs.resultsDir === null || custom ? null : resultFile(inputs.resultsDir, analysis.name, resultFilter);
    const stored = file === null || request.fresh === true ? null : await readStoredResult(file);
    if (stored !== null && own !== null && isReusable(stored, { importVersion: ctx.importVersion, provenance: analysisProvenance }, analysis.revision)) {
      results.set(analysis.name, stored);
      continue;
    }
    let result: Result;
    const unmet = analysis.implemented ? (unmetNeeds(analysis, ctx) ?? tooFew(ctx)) : null;
    if (!analysis.implemented || unmet !== null) {
      result = analysis.implemented ? notRunResult(ctx, analysis, 'skipped', unmet ?? '') : await analysis.run(ctx);
    } else {
      try {
        result = await analysis.run(ctx);
      } catch (error) {
        if (request.signal?.aborted === true) throw error;
        result = notRunResult(ctx, analysis, 'failed', reasonOf(error));
      }
    }
    if (analysis.name === 'profile' && result.status === 'ok' && snapshots !== null) {
      result = await recordSnapshot(result, {
        dir: snapshots,
        configHash: inputs.configHash,
        asOf,
        thresholds: ctx.thresholds,
        ...(request.against === undefined ? {} : { against: request.against }),
        ...(pairing === undefined ? {} : { pair: pairing }),
      });
    }
    const checked = resultSchema.safeParse({ ...result, warnings: [...warnings, ...result.warnings] });
    if (!checked.success) {
      const issue = checked.error.issues[0];
      result = notRunResult(ctx, analysis, 'failed', reasonOf(new Error(`its result broke the Result contract at ${issue?.path.join('.') ?? ''}: ${issue?.message ?? ''}`)));
    } else {
      result = checked.data;
    }
    if (file !== null && result.status === 'ok') await writeStoredResult(file, result);
    results.set(analysis.name, result);
  }
  const shown = requested.length === 0 ? order : order.filter((a) => requested.includes(a.name));
  return {
    workspace: inputs.workspace,
    importVersion: inputs.ledger.version,
    results: shown.map((a) => results.get(a.name)).filter((r): r is Result => r !== undefined),
  };
}
