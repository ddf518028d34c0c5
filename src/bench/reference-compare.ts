import { readFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { runAnalyses } from '../analysis/run-analyses.js';
import type { Result } from '../analysis/result.js';
import { copyTable } from '../engine/copy-table.js';
import { DuckDbEngine } from '../engine/duckdb/engine.js';
import type { Engine } from '../engine/types.js';
import { CUSTOMER_FACTS_TABLE } from '../facts/index.js';
import type { FileLedger, ImportLedger } from '../model/ledger.js';
import { npsInterval } from '../stats/index.js';
import { Workspace } from '../workspace/workspace.js';
import { CheckBuilder, DOUBLE_TOLERANCE, type FigureCheck } from './reference-compare-checks.js';
import { compareFacts } from './reference-compare-facts.js';
import { compareKeyDrivers, type ReferenceKeyDrivers } from './reference-compare-key-drivers.js';
import { comparePerfectCustomer, type ReferencePerfectCustomer } from './reference-compare-perfect-customer.js';
import { compareProfile, type ReferenceProfile } from './reference-compare-profile.js';
import { compareValue, type ReferenceValue } from './reference-compare-value.js';
import { compareLifetimeValue, type ReferenceLifetimeValue } from './reference-compare-lifetime-value.js';
import { compareFit, type ReferenceFit } from './reference-compare-fit.js';
import { compareIdealProfile, type ReferenceIdealProfile } from './reference-compare-ideal-profile.js';
import { compareMisaligned, type ReferenceMisaligned } from './reference-compare-misaligned.js';
import { compareMix, type ReferenceMix } from './reference-compare-mix.js';
import { compareReferrals, type ReferenceReferrals } from './reference-compare-referrals.js';
import { compareBadRevenue, type ReferenceBadRevenue } from './reference-compare-bad-revenue.js';
import { compareFeeAftermath, type ReferenceFeeAftermath } from './reference-compare-fee-aftermath.js';
import { compareQuarterEnd, type ReferenceQuarterEnd } from './reference-compare-quarter-end.js';
import { compareValueBalance, type ReferenceValueBalance } from './reference-compare-value-balance.js';
import { compareScorecard, type ReferenceScorecard } from './reference-compare-scorecard.js';
import { compareComments, type ReferenceComments } from './reference-compare-comments.js';
import { compareChanges, type ReferenceChanges } from './reference-compare-changes.js';
import { workspaceAnalyses } from './simulated-changes.js';

export type { Difference, FigureCheck } from './reference-compare-checks.js';
export { referenceCommand, referenceStackAvailable, runReference, type ReferenceRun, type ReferenceRunOptions, type ReferenceVariant } from './reference-compare-run.js';

/** The reference's row ledger of one file: cxray's counts, reasons under their Python name. */
type ReferenceFileLedger = Pick<FileLedger, 'read' | 'loaded' | 'quarantined' | 'inserted' | 'duplicates' | 'excluded'> & {
  quarantined_by_reason: Record<string, number>;
};

/** The JSON bench/reference/reference.py writes (the parts compared or reported). */
export interface ReferenceDocument {
  variant: string;
  as_of: string;
  /** Seconds per step: read, validate, facts, then one per analysis (REFERENCE_STEPS), total. */
  timings: Record<string, number>;
  peak_rss_mib: number;
  facts_csv: string;
  facts_money_columns: string[];
  files: Record<string, ReferenceFileLedger>;
  tables: Record<string, number>;
  profile: ReferenceProfile;
  /** Absent from a JSON written before the reference computed it (reported as a difference). */
  perfect_customer?: ReferencePerfectCustomer;
  key_drivers?: ReferenceKeyDrivers;
  value?: ReferenceValue;
  lifetime_value?: ReferenceLifetimeValue;
  fit?: ReferenceFit;
  ideal_profile?: ReferenceIdealProfile;
  misaligned?: ReferenceMisaligned;
  mix?: ReferenceMix;
  referrals?: ReferenceReferrals;
  bad_revenue?: ReferenceBadRevenue;
  fee_aftermath?: ReferenceFeeAftermath;
  quarter_end?: ReferenceQuarterEnd;
  value_balance?: ReferenceValueBalance;
  scorecard?: ReferenceScorecard;
  comments?: ReferenceComments;
  changes?: ReferenceChanges;
}

export interface ReferenceComparison {
  variant: string;
  workspace: string;
  importVersion: number;
  /** True when every check agrees. */
  agree: boolean;
  checks: FigureCheck[];
  /** Figures the reference computes that cxray has no counterpart for. */
  referenceOnly: Record<string, unknown>;
  referenceTimings: Record<string, number>;
  referencePeakRssMiB: number;
}

const LEDGER_FIELDS = ['read', 'loaded', 'quarantined', 'inserted', 'duplicates', 'excluded'] as const;

function compareLedger(ledger: ImportLedger, reference: ReferenceDocument): FigureCheck[] {
  const checks: FigureCheck[] = [];
  for (const file of ledger.files) {
    const name = basename(file.file);
    const ref = reference.files[name];
    const check = new CheckBuilder(`ledger ${name}`, 'exact');
    if (ref === undefined) {
      check.missing(name, null, 'file');
      checks.push(check.build());
      continue;
    }
    for (const field of LEDGER_FIELDS) check.add(field, ref[field], file[field]);
    const reasons = new Set([...Object.keys(ref.quarantined_by_reason), ...Object.keys(file.quarantinedByReason)]);
    for (const reason of [...reasons].sort()) {
      check.add(`quarantined ${reason}`, ref.quarantined_by_reason[reason] ?? 0, file.quarantinedByReason[reason as keyof typeof file.quarantinedByReason] ?? 0);
    }
    checks.push(check.build());
  }
  const tables = new CheckBuilder('canonical table rows', 'exact');
  for (const [table, rows] of Object.entries(ledger.tables)) tables.add(table, reference.tables[table] ?? null, rows);
  checks.push(tables.build());
  return checks;
}

/**
 * Figures cxray does not print as such but that follow from its store: money
 * totals (sums of customer_facts), the value-tier cut points (the exact
 * quartiles the profile cuts at, by the profile's own SQL) and the NPS of the
 * customers' latest answers (cxray's npsInterval on customer_facts.nps_class).
 */
async function compareStoreFigures(engine: Engine, reference: ReferenceDocument): Promise<FigureCheck[]> {
  const d = engine.dialect;
  const q = (name: string): string => d.quoteIdent(name);
  const facts = q(CUSTOMER_FACTS_TABLE);
  const totals = Object.keys(reference.profile.money_totals).filter((k) => k !== 'unit' && k !== 'revenue_after_refunds');
  const [sums] = await engine.query(`SELECT ${totals.map((c) => `sum(${q(c)}) * 100 AS ${q(c)}`).join(', ')} FROM ${facts}`);
  const money = new CheckBuilder('money totals (cents)', 'exact (to the cent)');
  for (const c of totals) money.add(c, reference.profile.money_totals[c], sums?.[c] ?? null);
  const nv = d.toDouble(q('net_value'));
  const [cuts] = await engine.query(`SELECT ${[0.25, 0.5, 0.75].map((p, i) => `${d.quantileExact(nv, p)} AS ${q(`c${i}`)}`).join(', ')} FROM ${facts}`);
  const tiers = new CheckBuilder('value tier cut points', `${DOUBLE_TOLERANCE}; type 1 quartiles of net_value`);
  reference.profile.value_tier_cuts.forEach((cut, i) => tiers.add(`quartile ${i + 1}`, cut, cuts?.[`c${i}`] ?? null, 'double'));
  const classes = await engine.query<{ c: string | null; n: bigint }>(`SELECT ${q('nps_class')} AS c, count(*) AS n FROM ${facts} GROUP BY 1`);
  const count = (c: string): number => Number(classes.find((r) => r.c === c)?.n ?? 0n);
  const nps = npsInterval({ promoters: count('promoter'), passives: count('passive'), detractors: count('detractor') });
  const npsCheck = new CheckBuilder('NPS of latest answers', `${DOUBLE_TOLERANCE}; Wald interval`);
  npsCheck.add('n', reference.profile.nps.n, nps.n);
  npsCheck.add('estimate', reference.profile.nps.estimate, nps.estimate, 'double');
  npsCheck.add('lower', reference.profile.nps.lower, nps.interval.lower, 'double');
  npsCheck.add('upper', reference.profile.nps.upper, nps.interval.upper, 'double');
  return [money.build(), tiers.build(), npsCheck.build()];
}

/**
 * The facts comparison loads the reference CSV next to customer_facts with
 * DuckDB's reader. A ClickHouse store's customer_facts is first copied into
 * an in-memory DuckDB (through the Engine boundary), so both stores compare
 * the same way.
 */
async function compareFactsOf(engine: Engine, csv: string, money: readonly string[]): Promise<FigureCheck[]> {
  if (engine.dialect.name === 'duckdb') return compareFacts(engine, csv, money);
  const local = await DuckDbEngine.open(':memory:', { memoryLimit: '2GB' });
  try {
    await copyTable(engine, local, CUSTOMER_FACTS_TABLE, { batchSize: 100_000 });
    return await compareFacts(local, csv, money);
  } finally {
    await local.close();
  }
}

/** The analyses compared with the reference, run on the store's current import. */
export const COMPARED_ANALYSES = [
  'profile', 'perfect-customer', 'key-drivers', 'value', 'lifetime-value', 'fit', 'ideal-profile', 'misaligned', 'mix', 'referrals', 'bad-revenue', 'fee-aftermath', 'quarter-end', 'value-balance', 'scorecard',
  'comments', 'changes',
] as const;

/** The reference's timing step of each compared analysis (its JSON key, and its `timings` entry). */
export const REFERENCE_STEPS: Readonly<Record<(typeof COMPARED_ANALYSES)[number], string>> = {
  profile: 'profile',
  'perfect-customer': 'perfect_customer',
  'key-drivers': 'key_drivers',
  value: 'value',
  'lifetime-value': 'lifetime_value',
  fit: 'fit',
  'ideal-profile': 'ideal_profile',
  misaligned: 'misaligned',
  mix: 'mix',
  referrals: 'referrals',
  'bad-revenue': 'bad_revenue',
  'fee-aftermath': 'fee_aftermath',
  'quarter-end': 'quarter_end',
  'value-balance': 'value_balance',
  scorecard: 'scorecard',
  comments: 'comments',
  changes: 'changes',
};

/** cxray's Results of the compared analyses on one import version, for one or several comparisons. */
export interface ComparedResults {
  workspace: string;
  importVersion: number;
  results: Map<string, Result>;
}

async function analysisResults(ws: Workspace, engine: Engine, version: number): Promise<Map<string, Result>> {
  const { config, hash } = await ws.config();
  const ledger = (await ws.versions()).find((v) => v.version === version);
  if (ledger === undefined) throw new Error(`version ${version} has no ledger`);
  // No result store and no snapshots: comparing must not write into the workspace. `changes` measures the workspace's stored changes, as analyze binds them.
  const out = await runAnalyses(
    { workspace: ws.paths.root, engine, ledger, config, configHash: hash, resultsDir: null, snapshotsDir: null, analyses: workspaceAnalyses(ws) },
    { names: [...COMPARED_ANALYSES] },
  );
  const results = new Map(out.results.map((r) => [r.name, r]));
  const profile = results.get('profile');
  if (profile === undefined || profile.status !== 'ok') throw new Error(`the profile did not run: ${profile?.reason ?? 'no result'}`);
  return results;
}

/**
 * Runs the compared analyses once on a workspace's current import, so that
 * several references (both variants) are compared with one set of Results.
 *
 * @example
 * const results = await comparedResults('bench/out/workspace-100000');
 * for (const json of ['/tmp/ref-best.json', '/tmp/ref-idiomatic.json']) await compareWithReference(json, results.workspace, { results });
 */
export async function comparedResults(workspaceDir: string): Promise<ComparedResults> {
  const ws = new Workspace(workspaceDir);
  const store = await ws.openStore();
  try {
    return { workspace: ws.paths.root, importVersion: store.version, results: await analysisResults(ws, store.engine, store.version) };
  } finally {
    await store.close();
  }
}

/**
 * Compares a cxray workspace (its current import, opened read-only, DuckDB or ClickHouse) with the
 * pandas reference's output for the same files: the row ledger of every
 * file, the canonical table sizes, customer_facts customer by customer, the
 * money totals, the profile's findings and tables, the perfect-customer
 * and key-drivers figures (regressions, odds ratios, relative weights),
 * value by segment, the lifetime-value fits, the right-customer analyses
 * (fit, ideal-profile, misaligned, mix, referrals), the fairness ones
 * (bad-revenue, fee-aftermath, quarter-end, value-balance), the experience
 * scorecard, comments (downstream of the text layer) and changes (the
 * workspace's stored changes and cxray.yaml's experiments). `options.results`: the
 * Results of comparedResults(workspaceDir), to compare several references
 * without running the analyses again.
 *
 * @example
 * const c = await compareWithReference('/tmp/ref-best.json', 'bench/out/workspace-100000');
 * if (!c.agree) console.log(describeComparison(c).join('\n'));
 */
export async function compareWithReference(referenceJson: string, workspaceDir: string, options: { results?: ComparedResults } = {}): Promise<ReferenceComparison> {
  const reference = JSON.parse(await readFile(referenceJson, 'utf8')) as ReferenceDocument;
  const ws = new Workspace(workspaceDir);
  // The store engine reads the reference's facts CSV beside its JSON.
  const store = await ws.openStore(undefined, { folders: [dirname(resolve(referenceJson))] });
  try {
    const ledger = (await ws.versions()).find((v) => v.version === store.version);
    if (ledger === undefined) throw new Error(`version ${store.version} has no ledger`);
    const checks = [
      ...compareLedger(ledger, reference),
      ...(await compareFactsOf(store.engine, join(dirname(referenceJson), reference.facts_csv), reference.facts_money_columns)),
      ...(await compareStoreFigures(store.engine, reference)),
    ];
    const given = options.results;
    if (given !== undefined && (given.workspace !== ws.paths.root || given.importVersion !== store.version)) {
      throw new Error(`the Results given are of ${given.workspace} v${given.importVersion}, not of ${ws.paths.root} v${store.version}`);
    }
    const results = given?.results ?? (await analysisResults(ws, store.engine, store.version));
    const profile = results.get('profile');
    if (profile === undefined) throw new Error('no profile Result');
    checks.push(
      ...compareProfile(profile, reference.profile),
      ...comparePerfectCustomer(results.get('perfect-customer'), reference.perfect_customer),
      ...compareKeyDrivers(results.get('key-drivers'), reference.key_drivers),
      ...compareValue(results.get('value'), reference.value),
      ...compareLifetimeValue(results.get('lifetime-value'), reference.lifetime_value),
      ...compareFit(results.get('fit'), reference.fit),
      ...compareIdealProfile(results.get('ideal-profile'), reference.ideal_profile),
      ...compareMisaligned(results.get('misaligned'), reference.misaligned),
      ...compareMix(results.get('mix'), reference.mix),
      ...compareReferrals(results.get('referrals'), reference.referrals),
      ...compareBadRevenue(results.get('bad-revenue'), reference.bad_revenue),
      ...compareFeeAftermath(results.get('fee-aftermath'), reference.fee_aftermath),
      ...compareQuarterEnd(results.get('quarter-end'), reference.quarter_end),
      ...compareValueBalance(results.get('value-balance'), reference.value_balance),
      ...compareScorecard(results.get('scorecard'), reference.scorecard),
      ...compareComments(results.get('comments'), reference.comments),
      ...compareChanges(results.get('changes'), reference.changes),
    );
    return {
      variant: reference.variant,
      workspace: ws.paths.root,
      importVersion: store.version,
      agree: checks.every((c) => c.differing === 0),
      checks,
      referenceOnly: { top1_share: reference.profile.top1_share },
      referenceTimings: reference.timings,
      referencePeakRssMiB: reference.peak_rss_mib,
    };
  } finally {
    await store.close();
  }
}

/** One line per check (disagreements with their first examples), for a report or a failing test. */
export function describeComparison(c: ReferenceComparison): string[] {
  const lines = [`${c.variant} reference vs ${c.workspace} (import v${c.importVersion}): ${c.agree ? 'all agree' : 'DISAGREE'}`];
  for (const check of c.checks) {
    if (check.differing === 0) {
      lines.push(`  ok   ${check.figure}: ${check.compared} values`);
      continue;
    }
    lines.push(`  DIFF ${check.figure}: ${check.differing} of ${check.compared} differ (${check.tolerance})`);
    for (const e of check.examples) lines.push(`         ${e.where}: reference ${JSON.stringify(e.reference)}, cxray ${JSON.stringify(e.cxray)}`);
  }
  return lines;
}
