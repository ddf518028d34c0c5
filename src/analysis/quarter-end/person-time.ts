import { scopeQuery, scopeSelect } from '../scope-query.js';
import { requiredNumber, type SqlValues } from '../sql-values.js';
import type { AnalysisContext } from '../types.js';
import type { HazardCovariate } from './hazard-covariates.js';
import { DAYS_PER_MONTH } from './settings.js';

/** Months of tenure counted one by one; a customer followed longer ends in the last, open, month. */
export const MAX_MONTHS = 60;

/** One cell of customers: the same window flag and covariate levels. */
export interface PersonTimeCell {
  /** 1 when acquired in a quarter-end window. */
  window: number;
  /** Covariate level codes, aligned with the covariates. */
  levels: number[];
  /** Per month of tenure 0..MAX_MONTHS: customers at risk at its start, churned in it, followed no further than it without churning. */
  atRisk: number[];
  churned: number[];
  censored: number[];
  /** Days at risk in the month, summed over the cell's customers. */
  days: number[];
}

export interface PersonTime {
  cells: PersonTimeCell[];
  /** Last month of tenure anyone reached. */
  lastMonth: number;
}

/**
 * Person-time at risk and churn events by month of tenure, window flag and
 * covariate levels, from ONE GROUP BY over customer_facts: no window
 * function, no join. Each customer is counted once, in the month its
 * follow-up ends (k = ⌊exposure / month⌋) with the days it spent in that
 * month; the cumulative sums over k (everyone whose follow-up ends after
 * month j spent all of month j at risk) are taken here, on the small table.
 * So the table has at most months × 2 × 2 × covariate cells rows whatever
 * the number of customers, and on a cluster each shard sums its own.
 */
export async function personTime(ctx: AnalysisContext, values: SqlValues, where: readonly string[], flag: string, covariates: readonly HazardCovariate[]): Promise<PersonTime> {
  const d = ctx.engine.dialect;
  const q = d.quoteIdent;
  const exposure = d.toDouble(q('exposure_days'));
  const month = `least(CAST(floor(${exposure} / ${DAYS_PER_MONTH}) AS ${d.columnType('int64', false)}), ${MAX_MONTHS})`;
  const event = d.boolToInt(q('churned'));
  const keys = [month, event, flag, ...covariates.map((c) => c.code)];
  const aliases = ['_k', '_e', '_w', ...covariates.map((_, i) => `_c${i}`)];
  const rows = await scopeQuery(
    ctx,
    scopeSelect(ctx, {
      items: [...keys.map((k, i) => `${k} AS ${q(aliases[i] ?? '')}`), `count(*) AS ${q('_n')}`, `sum(${exposure} - ${month} * ${DAYS_PER_MONTH}) AS ${q('_pt')}`],
      where: [...where, `${q('exposure_days')} IS NOT NULL`],
      groupBy: keys,
    }),
    values,
  );
  const cells = new Map<string, PersonTimeCell>();
  const size = MAX_MONTHS + 1;
  let lastMonth = 0;
  for (const row of rows) {
    const window = requiredNumber(row['_w'], 'window flag');
    const levels = covariates.map((_, i) => requiredNumber(row[`_c${i}`], 'covariate level'));
    const key = [window, ...levels].join('|');
    let cell = cells.get(key);
    if (cell === undefined) {
      cell = { window, levels, atRisk: new Array<number>(size).fill(0), churned: new Array<number>(size).fill(0), censored: new Array<number>(size).fill(0), days: new Array<number>(size).fill(0) };
      cells.set(key, cell);
    }
    const k = requiredNumber(row['_k'], 'month of tenure');
    const n = requiredNumber(row['_n'], 'customers');
    lastMonth = Math.max(lastMonth, k);
    const outcome = requiredNumber(row['_e'], 'churned') === 1 ? cell.churned : cell.censored;
    outcome[k] = (outcome[k] ?? 0) + n;
    cell.days[k] = (cell.days[k] ?? 0) + requiredNumber(row['_pt'], 'days at risk');
    cell.atRisk[k] = (cell.atRisk[k] ?? 0) + n;
  }
  // Everyone whose follow-up ends in month k was at risk, for a whole month, in every month before it.
  for (const cell of cells.values()) {
    for (let j = MAX_MONTHS - 1; j >= 0; j -= 1) {
      const later = cell.atRisk[j + 1] ?? 0;
      cell.atRisk[j] = (cell.atRisk[j] ?? 0) + later;
      cell.days[j] = (cell.days[j] ?? 0) + later * DAYS_PER_MONTH;
    }
  }
  const sorted = [...cells.values()].sort((a, b) => a.window - b.window || compareLevels(a.levels, b.levels));
  return { cells: sorted, lastMonth };
}

function compareLevels(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i += 1) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) - (b[i] ?? 0);
  return 0;
}
