import { normalCritical } from '../../stats/index.js';
import type { PersonTime } from './person-time.js';

/** One month of a life table: the share still a customer at the month's end. */
export interface SurvivalPoint {
  month: number;
  atRisk: number;
  churned: number;
  censored: number;
  /** Share still a customer after `month + 1` months of tenure, with its interval. */
  survival: number;
  lower: number;
  upper: number;
}

/**
 * The actuarial life table of one group, by month of tenure, from the
 * person-time table: of n customers at risk at a month's start, c whose
 * follow-up ends in it count as at risk for half of it (n' = n − c/2), and
 * q = churned / n' leave; S(after month j) = Π (1 − q). The Kaplan-Meier
 * curve read monthly, without any customer's own row. Interval: Greenwood's
 * variance on the log(−log S) scale (Kalbfleisch & Prentice 2002, §1.4),
 * which stays inside (0, 1). Ends at the last month with anyone at risk.
 */
export function lifeTable(pt: PersonTime, window: number, level = 0.95): SurvivalPoint[] {
  const cells = pt.cells.filter((c) => c.window === window);
  const z = normalCritical(level);
  const points: SurvivalPoint[] = [];
  let survival = 1;
  let greenwood = 0;
  for (let month = 0; month <= pt.lastMonth; month += 1) {
    const atRisk = cells.reduce((s, c) => s + (c.atRisk[month] ?? 0), 0);
    if (atRisk === 0) break;
    const churned = cells.reduce((s, c) => s + (c.churned[month] ?? 0), 0);
    const censored = cells.reduce((s, c) => s + (c.censored[month] ?? 0), 0);
    const effective = atRisk - censored / 2;
    const share = effective > 0 ? Math.min(1, churned / effective) : 0;
    survival *= 1 - share;
    if (share < 1 && effective > 0) greenwood += share / (effective * (1 - share));
    let lower = survival;
    let upper = survival;
    if (survival > 0 && survival < 1) {
      const spread = (z * Math.sqrt(greenwood)) / Math.abs(Math.log(survival));
      lower = survival ** Math.exp(spread);
      upper = survival ** Math.exp(-spread);
    }
    points.push({ month, atRisk, churned, censored, survival, lower, upper });
  }
  return points;
}
