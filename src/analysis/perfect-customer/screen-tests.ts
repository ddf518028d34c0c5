import { chiSquareSf, normalCritical, phiCoefficient, proportionDifference, type CorrelationEstimate, type DifferenceEstimate, type Interval, type Proportion, type TwoByTwo } from '../../stats/index.js';

/** The statistics of behaviour screening: each event x outcome 2x2 table, crude and within tenure bands. */

export type ScreenOutcome = 'retention' | 'satisfaction';

/** An odds ratio with its Woolf (log) interval. */
export interface OddsRatio {
  estimate: number;
  interval: Interval;
  /** True when a cell was 0 and 0.5 was added to every cell (Haldane–Anscombe). */
  haldane: boolean;
}

/**
 * The odds ratio (a·d)/(b·c) of a 2×2 table with Woolf's interval,
 * exp(ln OR ± z·√(1/a + 1/b + 1/c + 1/d)) (Woolf 1955, Ann. Hum. Genet.
 * 19:251). Only when a cell is 0 is 0.5 added to every cell (Haldane 1956),
 * so that both the ratio and the interval exist; otherwise the counts are used as they are.
 */
export function woolfOddsRatio(table: TwoByTwo, level = 0.95): OddsRatio {
  const cells = [table.bothYes, table.onlyFirst, table.onlySecond, table.neither];
  const haldane = cells.some((c) => c === 0);
  const [a, b, c, d] = cells.map((x) => (haldane ? x + 0.5 : x)) as [number, number, number, number];
  const log = Math.log((a * d) / (b * c));
  const half = normalCritical(level) * Math.sqrt(1 / a + 1 / b + 1 / c + 1 / d);
  return { estimate: Math.exp(log), interval: { lower: Math.exp(log - half), upper: Math.exp(log + half), level }, haldane };
}

/** One event against one outcome: doers and non-doers, and how many of each have the outcome (churned, or satisfied). */
export interface ScreenTest {
  event: string;
  outcome: ScreenOutcome;
  doing: Proportion;
  notDoing: Proportion;
  /** Share of doers minus share of non-doers (Newcombe interval; pooled z test, the same p as phi's χ²). */
  difference: DifferenceEstimate;
  phi: CorrelationEstimate;
  oddsRatio: OddsRatio;
  /** Within tenure bands; null when no band carried information (then the test is not screened). */
  stratified: StratifiedDifference | null;
}

/** The statistics of one event × outcome 2×2 table (rows: did the event or not; columns: outcome or not). */
export function screenTest(event: string, outcome: ScreenOutcome, doing: Proportion, notDoing: Proportion, strata: readonly Stratum[] = [{ doing, notDoing }]): ScreenTest {
  const table: TwoByTwo = { bothYes: doing.count, onlyFirst: doing.n - doing.count, onlySecond: notDoing.count, neither: notDoing.n - notDoing.count };
  return { event, outcome, doing, notDoing, difference: proportionDifference(doing, notDoing), phi: phiCoefficient(table), oddsRatio: woolfOddsRatio(table), stratified: stratifiedDifference(strata) };
}

/** One tenure band's 2×2 counts: doers and non-doers, and how many of each have the outcome. */
export interface Stratum {
  doing: Proportion;
  notDoing: Proportion;
}

/** The difference of shares within tenure bands, pooled (Mantel–Haenszel), with the Cochran–Mantel–Haenszel test. */
export interface StratifiedDifference {
  estimate: number;
  interval: Interval;
  pValue: number;
  /** Bands that carried information (doers and non-doers in both). */
  strata: number;
}

/**
 * Doers against non-doers within tenure bands: the Mantel–Haenszel risk
 * difference Σ w_k (p1k − p0k) / Σ w_k with w_k = n1k·n0k/N_k (Greenland &
 * Robins 1985), its variance Σ w_k² (p1k q1k/n1k + p0k q0k/n0k) / (Σ w_k)²
 * (valid when each band is large, as bands of whole years of tenure are;
 * bands with fewer than 5 doers or non-doers are left out), and the CMH
 * χ² test on 1 df (Mantel & Haenszel 1959). A band is a group of customers
 * of like tenure, so an event that long-standing customers do more often
 * cannot pass on their lower churn alone. Null when no band carries information.
 */
export function stratifiedDifference(strata: readonly Stratum[], level = 0.95): StratifiedDifference | null {
  let weights = 0;
  let weighted = 0;
  let variance = 0;
  let observedMinusExpected = 0;
  let cmhVariance = 0;
  let used = 0;
  for (const { doing, notDoing } of strata) {
    const n1 = doing.n;
    const n0 = notDoing.n;
    const total = n1 + n0;
    if (n1 < 5 || n0 < 5) continue;
    used += 1;
    const p1 = doing.count / n1;
    const p0 = notDoing.count / n0;
    const w = (n1 * n0) / total;
    weights += w;
    weighted += w * (p1 - p0);
    variance += w * w * ((p1 * (1 - p1)) / n1 + (p0 * (1 - p0)) / n0);
    const yes = doing.count + notDoing.count;
    observedMinusExpected += doing.count - (n1 * yes) / total;
    if (total > 1) cmhVariance += (n1 * n0 * yes * (total - yes)) / (total * total * (total - 1));
  }
  if (used === 0 || weights === 0) return null;
  const estimate = weighted / weights;
  const se = Math.sqrt(variance) / weights;
  const z = normalCritical(level);
  const statistic = cmhVariance > 0 ? (observedMinusExpected * observedMinusExpected) / cmhVariance : 0;
  return { estimate, interval: { lower: estimate - z * se, upper: estimate + z * se, level }, pValue: cmhVariance > 0 ? chiSquareSf(statistic, 1) : 1, strata: used };
}
