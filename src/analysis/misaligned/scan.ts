import { benjaminiHochberg, normalCdf, type Interval, type IntervalEstimate } from '../../stats/index.js';
import type { RatioSums } from '../ratio-estimate.js';
import { belowZeroPValue, moneyRatio } from '../value/money-ratio.js';
import { NET_VALUE } from '../value/parts.js';
import { perMonthSums, restOf, satisfactionRatioSums, type GroupSums } from '../value/sums.js';
import type { Cell } from './cells.js';

export interface ScanOptions {
  /** False discovery rate of each family of tests. */
  fdr: number;
  /** Smallest loss per customer-month worth flagging (the money threshold). */
  money: number;
  /** Smallest satisfaction gap worth flagging (the points threshold). */
  points: number;
  /** Cells with fewer customers, or fewer respondents, are not tested. */
  minimum: number;
  level?: number;
}

/** One segment's two conditions, each tested, and whether it is misaligned. */
export interface CellVerdict {
  cell: Cell;
  /** Net value per customer-month (ratio of totals, t interval). */
  netValue: IntervalEstimate | null;
  /** One-sided p-value that net value per customer-month is below zero. */
  pLoss: number;
  /** Mean satisfaction of the segment's answers (NPS points or CSAT), respondents as units. */
  satisfaction: IntervalEstimate | null;
  /** The segment's satisfaction minus the other customers'. */
  gap: number | null;
  /** One-sided p-value that the segment is less satisfied than the other customers. */
  pBelow: number;
  /** Both conditions at once (intersection-union test): max(pLoss, pBelow). */
  pValue: number;
  qValue: number;
  qLoss: number;
  qBelow: number;
  tested: boolean;
  /** Loses money: net value per customer-month clearly below zero. */
  costly: boolean;
  /** Less satisfied: the satisfaction interval below the overall, clearly. */
  unhappy: boolean;
  /** Both, screened as one test. */
  misaligned: boolean;
  /** −(net value per customer-month) × 12 × customers still active: the money lost in a year at this size; null when it does not lose money. */
  yearlyLoss: { estimate: number; interval: Interval } | null;
}

export interface ScanResult {
  verdicts: CellVerdict[];
  overallSatisfaction: IntervalEstimate | null;
  /** Benjamini-Hochberg's cut on the combined p-values: p at or below it passes (0 when none does). */
  cutoff: number;
  tested: number;
}

/**
 * One-sided test that the segment is less satisfied than the other
 * customers, each ratio's variance taken under the null of one common mean
 * (the pooled per-respondent variance of the linearised scores): a group
 * whose few answers happen to agree never gets a zero standard error.
 */
export function belowPValue(cell: RatioSums, rest: RatioSums, all: RatioSums): { gap: number; pValue: number } | null {
  if (cell.n < 2 || rest.n < 2 || !(cell.m > 0) || !(rest.m > 0) || all.n < 3) return null;
  const common = all.y / all.m;
  const residual = Math.max(0, all.yy - 2 * common * all.ym + common * common * all.mm);
  const variance = (residual / (all.n - 1)) * (cell.n / (cell.m * cell.m) + rest.n / (rest.m * rest.m));
  const gap = cell.y / cell.m - rest.y / rest.m;
  if (!(variance > 0)) return { gap, pValue: gap < 0 ? 0 : 1 };
  return { gap, pValue: normalCdf(gap / Math.sqrt(variance)) };
}

function yearlyLoss(sums: GroupSums, netValue: IntervalEstimate | null): CellVerdict['yearlyLoss'] {
  if (netValue === null || !(netValue.estimate < 0)) return null;
  const active = sums.active ?? sums.customers;
  const scale = -12 * active;
  return {
    estimate: netValue.estimate * scale,
    interval: { lower: netValue.interval.upper * scale, upper: netValue.interval.lower * scale, level: netValue.interval.level },
  };
}

/** A cell's figures against the customers outside it; `tested` false when it is too small to test. */
export function judgeCell(cell: Cell, overall: GroupSums, options: ScanOptions): Omit<CellVerdict, 'qValue' | 'qLoss' | 'qBelow' | 'costly' | 'unhappy' | 'misaligned'> {
  const level = options.level ?? 0.95;
  const s = cell.sums;
  const money = perMonthSums(s, NET_VALUE);
  const netValue = moneyRatio(money, level);
  const satisfactionSums = satisfactionRatioSums(s);
  const overallSums = satisfactionRatioSums(overall);
  const rest = restOf(overall, s);
  const restSums = satisfactionRatioSums(rest);
  const satisfaction = satisfactionSums === null ? null : moneyRatio(satisfactionSums, level);
  const below = satisfactionSums === null || restSums === null || overallSums === null ? null : belowPValue(satisfactionSums, restSums, overallSums);
  const respondents = s.satisfaction?.respondents ?? 0;
  const tested = s.customers >= options.minimum && respondents >= options.minimum && netValue !== null && satisfaction !== null && below !== null;
  const pLoss = tested ? belowZeroPValue(money) : 1;
  const pBelow = tested ? (below?.pValue ?? 1) : 1;
  return { cell, netValue, pLoss, satisfaction, gap: below?.gap ?? null, pBelow, pValue: Math.max(pLoss, pBelow), tested, yearlyLoss: yearlyLoss(s, netValue) };
}

/** Whether a cell's figures meet both conditions beyond their thresholds (its intervals, not its q-value). */
export function clearOfThresholds(v: Pick<CellVerdict, 'netValue' | 'satisfaction'>, overall: number, options: ScanOptions): { loses: boolean; lessSatisfied: boolean } {
  const loses = v.netValue !== null && v.netValue.interval.upper < 0 && -v.netValue.estimate >= options.money;
  const lessSatisfied = v.satisfaction !== null && v.satisfaction.interval.upper < overall && overall - v.satisfaction.estimate >= options.points;
  return { loses, lessSatisfied };
}

/**
 * The scan's statistical core: every cell tested on both conditions, each
 * family (losing money; less satisfied; both) screened by Benjamini-Hochberg
 * at the false discovery rate, a condition holding only when its interval
 * also clears the line (net value per customer-month below zero; satisfaction
 * below the overall) by the practical threshold. A segment is misaligned when
 * the intersection-union test of both (the larger p-value) passes the screen.
 */
export function scanCells(cells: readonly Cell[], overall: GroupSums, options: ScanOptions): ScanResult {
  const level = options.level ?? 0.95;
  const overallSums = satisfactionRatioSums(overall);
  const overallSatisfaction = overallSums === null ? null : moneyRatio(overallSums, level);
  const judged = cells.map((c) => judgeCell(c, overall, options));
  const tested = judged.filter((j) => j.tested);
  const q = (p: (j: (typeof judged)[number]) => number): Map<(typeof judged)[number], number> => {
    const values = benjaminiHochberg(tested.map(p));
    return new Map(tested.map((j, i) => [j, values[i] ?? 1]));
  };
  const qLoss = q((j) => j.pLoss);
  const qBelow = q((j) => j.pBelow);
  const qBoth = q((j) => j.pValue);
  const line = overallSatisfaction?.estimate ?? Number.NaN;
  const verdicts = judged.map((j): CellVerdict => {
    const clear = clearOfThresholds(j, line, options);
    const ql = qLoss.get(j) ?? 1;
    const qb = qBelow.get(j) ?? 1;
    const qv = qBoth.get(j) ?? 1;
    return {
      ...j,
      qValue: qv,
      qLoss: ql,
      qBelow: qb,
      costly: j.tested && ql <= options.fdr && clear.loses,
      unhappy: j.tested && qb <= options.fdr && clear.lessSatisfied,
      misaligned: j.tested && qv <= options.fdr && clear.loses && clear.lessSatisfied,
    };
  });
  const passing = tested.filter((j) => (qBoth.get(j) ?? 1) <= options.fdr).length;
  return { verdicts, overallSatisfaction, cutoff: tested.length === 0 ? 0 : (options.fdr * passing) / tested.length, tested: tested.length };
}
