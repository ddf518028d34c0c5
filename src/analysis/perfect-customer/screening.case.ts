import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Engine } from '../../engine/types.js';
import type { Workspace } from '../../workspace/workspace.js';
import { emptyParts, mergeParts, okResult } from '../result-builder.js';
import type { Result } from '../result.js';
import { retentionWindow } from '../retention/window.js';
import { runAnalyses } from '../run-analyses.js';
import { SqlValues } from '../sql-values.js';
import type { Analysis, AnalysisContext, AnalysisFilter } from '../types.js';
import { satisfactionMeasure } from './satisfaction.js';
import { screeningSection } from './screening.js';

/** The screening section alone, as the perfect-customer analysis will call it: the retention window and the satisfaction measure first. */
export async function runScreening(ctx: AnalysisContext, analysis: Pick<Analysis, 'name' | 'revision'>): Promise<Result> {
  const values = new SqlValues(ctx.engine, 'pc');
  const measure = await satisfactionMeasure(ctx, values);
  const window = await retentionWindow(ctx, values);
  const section = await screeningSection(ctx, values, window, measure);
  const parts = mergeParts(emptyParts(), section);
  parts.summary.push(...(section.gaps ?? []));
  return okResult(ctx, analysis, parts, { description: 'Behaviour screening.', assumptions: [...(window === null ? [] : [window.assumption]), ...(section.assumptions ?? [])] });
}

/** A stand-in registered under the perfect-customer name that runs only the screening (run-perfect-customer.ts is not wired yet). */
export const screeningOnly: Analysis = {
  name: 'perfect-customer',
  title: 'Behaviour screening',
  description: 'Behaviour screening only (tests).',
  needs: ['customers'],
  needsColumns: ['customer_id'],
  dependsOn: [],
  implemented: true,
  revision: 1,
  run: (ctx) => runScreening(ctx, screeningOnly),
};

/** Runs the screening through runAnalyses (real context, Result contract checked) on `engine`, else the workspace's own store. */
export async function screenWorkspace(ws: Workspace, engine?: Engine, filter: AnalysisFilter = {}): Promise<Result> {
  const { config, hash } = await ws.config();
  const store = await ws.openStore();
  try {
    const ledger = (await ws.versions()).find((v) => v.version === store.version);
    if (ledger === undefined) throw new Error('no ledger');
    const out = await runAnalyses(
      { workspace: ws.paths.root, engine: engine ?? store.engine, ledger, config, configHash: hash, resultsDir: null, snapshotsDir: null, analyses: [screeningOnly] },
      { names: ['perfect-customer'], filter },
    );
    const [result] = out.results;
    if (result === undefined) throw new Error('no result');
    return result;
  } finally {
    await store.close();
  }
}

/**
 * A hand-made workspace of 200 customers whose 2×2 tables are known by
 * construction. Everyone signed up on 2023-01-01 and paid 100 once (region
 * north for even ids, south for odd); as_of
 * 2025-12-31, so the 12-month retention window opens 2025-01-01 with all 200
 * in it. Churners (ids 1-10 and 81-140, 70 in all) churned on 2025-07-01.
 * Promoters (NPS 10; everyone else answered 5): ids 21-60, 81-95, 176-190.
 * Events, on 2024-06-01 (before the window) unless said:
 * - `chat_bot` (A): ids 1-80 (some twice): 10 of 80 churned against 60 of 120; 40 of 80 promoters against 30 of 120;
 * - `coupon_used` (B): ids 1-5, 11-40, 81-110, 141-175: 35 of 100 churned and 35 of 100 promoters, as the other 100: independent;
 * - `app_review` (C): ids 151-200 on 2025-03-01 (inside the window): no doer before the window; 15 of 50 promoters against 55 of 150;
 * - `e_invoice` (E): ids 141-180: none churned (a 0 cell) against 70 of 160; 5 of 40 promoters against 65 of 160;
 * - `gift_card` (D): ids 1-10 only (below support); `future_thing`: after as_of (never seen).
 * Options: `csat` asks CSAT instead (5 for the promoters, 2 for the others: the same top-two-box split);
 * `undatedChurn` gives churn as a flag without dates (dated at as_of, as `init` maps one).
 */
export function makeScreeningWorkspace(options: { csat?: boolean; undatedChurn?: boolean } = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'cxray-screening-'));
  const ids = Array.from({ length: 200 }, (_, k) => k + 1);
  const inRange = (i: number, ...ranges: [number, number][]): boolean => ranges.some(([a, b]) => i >= a && i <= b);
  const churned = (i: number): boolean => inRange(i, [1, 10], [81, 140]);
  const promoter = (i: number): boolean => inRange(i, [21, 60], [81, 95], [176, 190]);
  const events: string[] = ['customer,date,event'];
  for (const i of ids) {
    if (inRange(i, [1, 80])) events.push(`${i},2024-06-01,chat_bot`);
    if (inRange(i, [1, 20])) events.push(`${i},2025-02-01,chat_bot`);
    if (inRange(i, [1, 5], [11, 40], [81, 110], [141, 175])) events.push(`${i},2024-06-01,coupon_used`);
    if (inRange(i, [151, 200])) events.push(`${i},2025-03-01,app_review`);
    if (inRange(i, [141, 180])) events.push(`${i},2024-06-01,e_invoice`);
    if (inRange(i, [1, 10])) events.push(`${i},2024-06-01,gift_card`);
    if (inRange(i, [1, 100])) events.push(`${i},2026-01-05,future_thing`);
  }
  writeFileSync(join(dir, 'customers.csv'), ['id,signup,region', ...ids.map((i) => `${i},2023-01-01,${i % 2 === 0 ? 'north' : 'south'}`), ''].join('\n'));
  writeFileSync(join(dir, 'payments.csv'), ['id,customer,date,amount', ...ids.map((i) => `p${i},${i},2023-02-01,100.00`), ''].join('\n'));
  writeFileSync(join(dir, 'status.csv'), ['customer,date,status', ...ids.filter(churned).map((i) => `${i},2025-07-01,churned`), ''].join('\n'));
  const [high, low] = options.csat === true ? [5, 2] : [10, 5];
  writeFileSync(join(dir, 'survey.csv'), ['id,customer,date,score', ...ids.map((i) => `r${i},${i},2024-09-01,${promoter(i) ? high : low}`), ''].join('\n'));
  writeFileSync(join(dir, 'events.csv'), [...events, ''].join('\n'));
  writeFileSync(
    join(dir, 'cxray.yaml'),
    `as_of: 2025-12-31
currency: USD
sources:
  crm:
    files: [customers.csv]
    feeds:
      - table: customers
        columns: {customer_id: id, signup_at: signup}
        attributes:
          region: {column: region, at_acquisition: true}
  pay:
    files: [payments.csv]
    feeds:
      - table: transactions
        columns: {transaction_id: id, customer_id: customer, at: date, amount: amount, currency: {value: USD}, kind: {value: purchase}}
  status:
    files: [status.csv]
    feeds:
      - table: status_changes
        columns: ${options.undatedChurn === true ? "{customer_id: customer, at: {value: '$as_of'}, status: {value: churned}}" : '{customer_id: customer, at: date, status: status}'}
  survey:
    files: [survey.csv]
    feeds:
      - table: survey_responses
        columns: {response_id: id, customer_id: customer, at: date, instrument: {value: ${options.csat === true ? 'csat' : 'nps'}}, score: score}
  web:
    files: [events.csv]
    feeds:
      - table: behaviour_events
        columns: {customer_id: customer, at: date, behaviour: event}
`,
  );
  return dir;
}
