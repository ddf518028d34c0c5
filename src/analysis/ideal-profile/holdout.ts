import { meanInterval, normalCdf, normalCritical, type IntervalEstimate } from '../../stats/index.js';
import type { Interval } from '../result.js';
import { scopeSelect } from '../scope-query.js';
import { numberOf, SqlValues } from '../sql-values.js';
import type { AnalysisContext } from '../types.js';
import { addSums, meanOf, NO_SUMS, ruleSql, varianceOf, type Rule, type Sums } from './rule.js';
import { halfSql, type FoundRule, type ScoreSource } from './search.js';

/** A rule's customers against the others, on one set of customers (a half, or all). */
export interface Split {
  covered: Sums;
  rest: Sums;
}

/** Both halves of a rule's split. */
export interface RuleSplits {
  training: Split;
  heldOut: Split;
}

export function allOf(s: RuleSplits): Split {
  return { covered: addSums(s.training.covered, s.heldOut.covered), rest: addSums(s.training.rest, s.heldOut.rest) };
}

/** One GROUP BY: each half's customers in and out of the rule, summing `measure` (the score by default) over those `where` keeps. */
export async function ruleSplits(ctx: AnalysisContext, source: Pick<ScoreSource, 'join' | 'where' | 'query'>, rule: Rule, measure: string, where: readonly string[] = []): Promise<RuleSplits> {
  const d = ctx.engine.dialect;
  const q = d.quoteIdent;
  const values = new SqlValues(ctx.engine, 'iph');
  const inRule = `(CASE WHEN ${ruleSql(rule, values)} THEN 1 ELSE 0 END)`;
  const x = d.toDouble(measure);
  const sql = scopeSelect(ctx, {
    items: [`${halfSql(d)} AS ${q('_h')}`, `${inRule} AS ${q('_r')}`, `count(*) AS ${q('_n')}`, `sum(${x}) AS ${q('_s')}`, `sum(${x} * ${x}) AS ${q('_q')}`],
    ...(source.join === null ? {} : { join: source.join }),
    where: [...source.where, ...where],
    groupBy: [halfSql(d), inRule],
  });
  const rows = await source.query(sql, values);
  const pick = (half: number, covered: number): Sums => {
    const r = rows.find((row) => numberOf(row['_h']) === half && numberOf(row['_r']) === covered);
    return r === undefined ? NO_SUMS : { n: numberOf(r['_n']) ?? 0, sum: numberOf(r['_s']) ?? 0, squares: numberOf(r['_q']) ?? 0 };
  };
  return { training: { covered: pick(0, 1), rest: pick(0, 0) }, heldOut: { covered: pick(1, 1), rest: pick(1, 0) } };
}

/** Mean of the rule's customers over the mean of all, with a delta-method interval (covered and rest independent); null when undefined. */
export function liftOf(split: Split, level = 0.95): { estimate: number; interval: Interval } | null {
  const { covered, rest } = split;
  const n = covered.n + rest.n;
  if (covered.n < 2 || rest.n < 2) return null;
  const mc = meanOf(covered);
  const all = (covered.sum + rest.sum) / n;
  if (!(all > 0)) return null;
  const lift = mc / all;
  const dc = (1 - (covered.n / n) * lift) / all;
  const dr = -(lift * (rest.n / n)) / all;
  const se = Math.sqrt(dc * dc * (varianceOf(covered) / covered.n) + dr * dr * (varianceOf(rest) / rest.n));
  const z = normalCritical(level);
  return { estimate: lift, interval: { lower: lift - z * se, upper: lift + z * se, level } };
}

/** The mean of a group with its t interval; null under two. */
export function meanEstimate(s: Sums, level = 0.95): IntervalEstimate | null {
  if (s.n < 2) return null;
  return meanInterval({ n: s.n, mean: meanOf(s), sd: Math.sqrt(varianceOf(s)) }, level);
}

/** One-sided test that the rule's customers score higher than the rest, with the common variance. */
export function higherPValue(split: Split): { difference: number; z: number; pValue: number } | null {
  const { covered, rest } = split;
  if (covered.n < 2 || rest.n < 2) return null;
  const all = addSums(covered, rest);
  const se = Math.sqrt(varianceOf(all) * (1 / covered.n + 1 / rest.n));
  const difference = meanOf(covered) - meanOf(rest);
  if (!(se > 0)) return { difference, z: difference > 0 ? Number.POSITIVE_INFINITY : 0, pValue: difference > 0 ? 0 : 1 };
  const z = difference / se;
  return { difference, z, pValue: 1 - normalCdf(z) };
}

export interface ValidatedRule {
  found: FoundRule;
  splits: RuleSplits;
  /** On the held-out half: the difference in mean score, its one-sided p-value, Bonferroni-adjusted over the rules validated. */
  heldOut: { difference: number; pValue: number; adjusted: number } | null;
  /** Held out: the adjusted p-value at most the false discovery rate and the difference at least the practical threshold. */
  holds: boolean;
}

/**
 * Each rule found on the training half, tested on the held-out half (its
 * customers against the other held-out customers): the held-out customers
 * played no part in choosing it, so the test is honest; Bonferroni over the
 * rules keeps the chance of reporting any rule when none is real at `alpha`.
 */
export async function validateRules(ctx: AnalysisContext, source: ScoreSource, found: readonly FoundRule[], options: { alpha: number; practical: number }): Promise<ValidatedRule[]> {
  const out: ValidatedRule[] = [];
  for (const f of found) {
    const splits = await ruleSplits(ctx, source, f.rule, source.score);
    const test = higherPValue(splits.heldOut);
    const adjusted = test === null ? 1 : Math.min(1, test.pValue * found.length);
    const heldOut = test === null ? null : { difference: test.difference, pValue: test.pValue, adjusted };
    out.push({ found: f, splits, heldOut, holds: heldOut !== null && adjusted <= options.alpha && heldOut.difference >= options.practical });
  }
  return out;
}
