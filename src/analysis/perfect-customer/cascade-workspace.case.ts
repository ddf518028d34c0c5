import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Engine } from '../../engine/types.js';
import { SeededRandom } from '../../stats/seeded-random.case.js';
import type { Workspace } from '../../workspace/workspace.js';
import { defaultCovariates } from '../regression/design.js';
import { emptyParts, mergeParts, okResult } from '../result-builder.js';
import type { Result } from '../result.js';
import { runAnalyses } from '../run-analyses.js';
import { SqlValues } from '../sql-values.js';
import type { Analysis, AnalysisContext, AnalysisFilter } from '../types.js';
import { declaredBehaviours } from './behaviours.js';
import { cascadeSection } from './cascade.js';
import { satisfactionMeasure } from './satisfaction.js';

/** The cascade section alone, called as run-perfect-customer.ts would call it. */
export async function runCascade(ctx: AnalysisContext, analysis: Pick<Analysis, 'name' | 'revision'>): Promise<Result> {
  const values = new SqlValues(ctx.engine, 'pc');
  const measure = await satisfactionMeasure(ctx, values);
  const parts = emptyParts();
  const assumptions: string[] = [];
  if (measure !== null) {
    const section = await cascadeSection(ctx, values, declaredBehaviours(ctx), measure, defaultCovariates(ctx));
    mergeParts(parts, section);
    parts.summary.push(...(section.gaps ?? []));
    assumptions.push(...(section.assumptions ?? []));
  }
  return okResult(ctx, analysis, parts, { description: 'The cascade.', assumptions });
}

/** Runs `run` under the perfect-customer name through runAnalyses: a real context, the Result contract checked. */
async function runStandIn(ws: Workspace, run: Analysis['run'], engine?: Engine, filter: AnalysisFilter = {}): Promise<Result> {
  const standIn: Analysis = { name: 'perfect-customer', title: 'Cascade', description: 'The cascade only (tests).', needs: ['customers'], needsColumns: ['customer_id'], dependsOn: [], implemented: true, revision: 1, run };
  const { config, hash } = await ws.config();
  const store = await ws.openStore();
  try {
    const ledger = (await ws.versions()).find((v) => v.version === store.version);
    if (ledger === undefined) throw new Error('no ledger');
    const out = await runAnalyses(
      { workspace: ws.paths.root, engine: engine ?? store.engine, ledger, config, configHash: hash, resultsDir: null, snapshotsDir: null, analyses: [standIn] },
      { names: ['perfect-customer'], filter },
    );
    const [result] = out.results;
    if (result === undefined) throw new Error('no result');
    return result;
  } finally {
    await store.close();
  }
}

/** The cascade section of a workspace's import, on `engine` (else its own store). */
export function cascadeOf(ws: Workspace, engine?: Engine, filter: AnalysisFilter = {}): Promise<Result> {
  const run = (ctx: AnalysisContext): Promise<Result> => runCascade(ctx, { name: 'perfect-customer', revision: 1 });
  return runStandIn(ws, run, engine, filter);
}

/** Calls `use` with a real analysis context on the workspace's import. */
export async function withContext<T>(ws: Workspace, use: (ctx: AnalysisContext) => Promise<T>): Promise<T> {
  let out: { value: T } | undefined;
  const result = await runStandIn(ws, async (ctx) => {
    out = { value: await use(ctx) };
    return okResult(ctx, { name: 'perfect-customer', revision: 1 }, emptyParts(), { description: 'x', assumptions: [] });
  });
  if (out === undefined) throw new Error(`the context was not used: ${result.reason ?? result.status}`);
  return out.value;
}


/** Days of exposure of every customer of the hand-made workspace (signup 2025-01-01 to the end of 2025-12-31). */
export const CASCADE_DAYS = 365;

/**
 * A hand-made company of 360 customers whose cascade is known by construction.
 * Everyone signed up on 2025-01-01 (as_of 2025-12-31) and answered once:
 * - satisfaction by id: 1-120 promoters (NPS 10, or CSAT 5), 121-240
 *   passives (8, or CSAT 3), 241-360 detractors (3, or CSAT 1);
 * - self-service adoption set by the class: the first 90, 60 and 30 ids of
 *   each class (75%, 50%, 25%: logits −ln 3, 0, ln 3, linear in CSAT too),
 *   so promoters adopt 50 points more than detractors; region alternates
 *   north (even ids) and south (odd) and splits every cell evenly, so the
 *   adjusted difference is exactly the raw one;
 * - money: adopters open 1 ticket, others 3, at a handling cost of 10, so
 *   adoption saves 20 per customer over the 365 days; promoters pay 120,
 *   everyone else 60: the unadjusted value is confounded by satisfaction
 *   (adopters are more often promoters), the adjusted one is the saving;
 * - the indirect effect is therefore 0.5 × 20 per 365 days per customer-month;
 * - referrer: ids 1-3 only (too few adopters for a cascade).
 */
export function makeCascadeWorkspace(options: { csat?: boolean } = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'cxray-cascade-'));
  const ids = Array.from({ length: 360 }, (_, k) => k + 1);
  const klass = (i: number): 0 | 1 | 2 => (i <= 120 ? 0 : i <= 240 ? 1 : 2);
  const adopts = (i: number): boolean => (i - 1) % 120 < ([90, 60, 30][klass(i)] ?? 0);
  const score = (i: number): number => (options.csat === true ? [5, 3, 1] : [10, 8, 3])[klass(i)] ?? 0;
  writeFileSync(
    join(dir, 'customers.csv'),
    ['id,signup,region,selfserve,referrer', ...ids.map((i) => `${i},2025-01-01,${i % 2 === 0 ? 'north' : 'south'},${adopts(i) ? 'yes' : 'no'},${i <= 3 ? 'yes' : 'no'}`), ''].join('\n'),
  );
  writeFileSync(join(dir, 'payments.csv'), ['id,customer,date,amount', ...ids.map((i) => `p${i},${i},2025-03-01,${klass(i) === 0 ? '120.00' : '60.00'}`), ''].join('\n'));
  writeFileSync(
    join(dir, 'tickets.csv'),
    ['id,customer,date,channel', ...ids.flatMap((i) => Array.from({ length: adopts(i) ? 1 : 3 }, (_, k) => `t${i}-${k},${i},2025-0${k + 4}-01,phone`)), ''].join('\n'),
  );
  writeFileSync(join(dir, 'survey.csv'), ['id,customer,date,score', ...ids.map((i) => `r${i},${i},2025-09-01,${score(i)}`), ''].join('\n'));
  writeFileSync(join(dir, 'cxray.yaml'), cascadeYaml(options.csat === true ? 'csat' : 'nps'));
  return dir;
}

function cascadeYaml(instrument: 'nps' | 'csat'): string {
  return `as_of: 2025-12-31
currency: USD
handling_cost: {default: 10}
segments:
  region: {attribute: region}
behaviours:
  self_service: {attribute: selfserve, values: [true], label: self-service}
  referrer: {attribute: referrer, values: [true], label: referring}
sources:
  crm:
    files: [customers.csv]
    feeds:
      - table: customers
        columns: {customer_id: id, signup_at: signup}
        attributes:
          region: {column: region, at_acquisition: true}
          selfserve: {column: selfserve, type: boolean, map: {yes: true, no: false}}
          referrer: {column: referrer, type: boolean, map: {yes: true, no: false}}
  pay:
    files: [payments.csv]
    feeds:
      - table: transactions
        columns: {transaction_id: id, customer_id: customer, at: date, amount: amount, currency: {value: USD}, kind: {value: purchase}}
  desk:
    files: [tickets.csv]
    feeds:
      - table: interactions
        columns: {interaction_id: id, customer_id: customer, at: date, channel: channel}
  survey:
    files: [survey.csv]
    feeds:
      - table: survey_responses
        columns: {response_id: id, customer_id: customer, at: date, instrument: {value: ${instrument}}, score: score}
`;
}

/**
 * A noisy company of `customers` (seeded), for checking the bootstrap's
 * one-step replicates against full refits: signups spread over 2024-2025
 * (exposure and tenure vary), region north or south; NPS promoter 40%,
 * passive 30%, detractor 30%; self-service with probability
 * 1/(1 + e^−(−1 + 1.2·promoter + 0.5·passive + 0.4·north)); 0-2 tickets for
 * adopters and 1-4 for others; one payment of 50-150, 30 more for promoters.
 * About one customer in six never answered the survey.
 */
export function makeNoisyCascadeWorkspace(customers: number, seed: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'cxray-cascade-noisy-'));
  const random = new SeededRandom(seed);
  const int = (low: number, high: number): number => low + Math.floor(random.uniform() * (high - low + 1));
  const people = Array.from({ length: customers }, (_, k) => {
    const u = random.uniform();
    const klass = u < 0.4 ? 0 : u < 0.7 ? 1 : 2;
    const north = random.uniform() < 0.5;
    const eta = -1 + (klass === 0 ? 1.2 : klass === 1 ? 0.5 : 0) + (north ? 0.4 : 0);
    const adopts = random.uniform() < 1 / (1 + Math.exp(-eta));
    const signup = new Date(Date.UTC(2024, 0, 1) + int(0, 600) * 86_400_000).toISOString().slice(0, 10);
    const score = klass === 0 ? int(9, 10) : klass === 1 ? int(7, 8) : int(0, 6);
    return { id: k + 1, klass, north, adopts, signup, score, answered: random.uniform() > 1 / 6, tickets: adopts ? int(0, 2) : int(1, 4), paid: int(50, 150) + (klass === 0 ? 30 : 0) };
  });
  writeFileSync(join(dir, 'customers.csv'), ['id,signup,region,selfserve,referrer', ...people.map((p) => `${p.id},${p.signup},${p.north ? 'north' : 'south'},${p.adopts ? 'yes' : 'no'},no`), ''].join('\n'));
  writeFileSync(join(dir, 'payments.csv'), ['id,customer,date,amount', ...people.map((p) => `p${p.id},${p.id},2025-12-01,${p.paid}.00`), ''].join('\n'));
  writeFileSync(join(dir, 'tickets.csv'), ['id,customer,date,channel', ...people.flatMap((p) => Array.from({ length: p.tickets }, (_, k) => `t${p.id}-${k},${p.id},2025-12-0${k + 1},phone`)), ''].join('\n'));
  writeFileSync(join(dir, 'survey.csv'), ['id,customer,date,score', ...people.filter((p) => p.answered).map((p) => `r${p.id},${p.id},2025-12-15,${p.score}`), ''].join('\n'));
  writeFileSync(join(dir, 'cxray.yaml'), cascadeYaml('nps'));
  return dir;
}
