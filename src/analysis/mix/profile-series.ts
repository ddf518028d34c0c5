import { idealProfileAnalysis } from '../ideal-profile/index.js';
import { ruleSql, ruleText, type Condition } from '../ideal-profile/rule.js';
import { describeCell } from '../misaligned/misaligned-findings.js';
import { misalignedAnalysis } from '../misaligned/index.js';
import { unmetNeeds } from '../needs.js';
import type { Grouping } from '../profile/groupings.js';
import type { Cell, Result } from '../result.js';
import type { SqlValues } from '../sql-values.js';
import type { AnalysisContext } from '../types.js';

/**
 * What a series follows: the first rule of the ideal profile (`ideal`), each
 * further rule that holds (`rule`), any of them (`any_rule`), each misaligned
 * segment (`misaligned`), any of them (`any_misaligned`).
 */
export type SeriesKind = 'ideal' | 'rule' | 'any_rule' | 'misaligned' | 'any_misaligned';

/** A description of customers known at acquisition, followed over cohorts. */
export interface MixSeries {
  kind: SeriesKind;
  /** In words: "segment = retail AND acquisition channel = referral". */
  label: string;
  /** The rule's or segment's key in its Result (`grouping=level&...`); null for a union. */
  key: string | null;
  /** Customers match when they meet every condition of any one of these. */
  conjunctions: Condition[][];
}

/** True for series whose customers a company wants more of. */
export const isIdealKind = (kind: SeriesKind): boolean => kind === 'ideal' || kind === 'rule' || kind === 'any_rule';

/** SQL: the customer matches the series. */
export function seriesSql(series: Pick<MixSeries, 'conjunctions'>, values: SqlValues): string {
  return `(${series.conjunctions.map((conditions) => ruleSql({ conditions }, values)).join(' OR ')})`;
}

/**
 * A key as `grouping=level` pairs joined by `&` (rule.ts, cells.ts), read
 * back against the groupings it was written from. Levels may hold `&` or
 * `=`: each reading is tried, keeping the groupings in order and distinct.
 */
export function parseKey(key: string, groupings: readonly Grouping[]): Condition[] | null {
  const read = (at: number, from: number): Condition[] | null => {
    for (let g = from; g < groupings.length; g += 1) {
      const grouping = groupings[g] as Grouping;
      const head = `${grouping.key}=`;
      if (!key.startsWith(head, at)) continue;
      const start = at + head.length;
      if (!key.includes('&', start)) return [{ grouping, level: key.slice(start) }];
      for (let end = key.indexOf('&', start); end >= 0; end = key.indexOf('&', end + 1)) {
        const rest = read(end + 1, g + 1);
        if (rest !== null) return [{ grouping, level: key.slice(start, end) }, ...rest];
      }
      return [{ grouping, level: key.slice(start) }];
    }
    return null;
  };
  return key === '' ? null : read(0, 0);
}

function rowsOf(result: Result, table: string): Record<string, Cell>[] {
  const t = result.tables.find((x) => x.name === table);
  return (t?.rows ?? []).map((r) => Object.fromEntries(t?.columns.map((c, i) => [c.name, r[i] ?? null]) ?? []));
}

/** The Result of an analysis mix reads: from this run, else computed here the same way; null when it cannot run here. */
async function dependency(ctx: AnalysisContext, name: 'ideal-profile' | 'misaligned'): Promise<{ result: Result | null; reason: string | null }> {
  const given = ctx.dependencies.get(name);
  if (given !== undefined) return { result: given, reason: given.status === 'ok' ? null : (given.reason ?? `${name} ${given.status}`) };
  const analysis = name === 'ideal-profile' ? idealProfileAnalysis : misalignedAnalysis;
  const unmet = unmetNeeds(analysis, ctx);
  if (unmet !== null) return { result: null, reason: unmet };
  const result = await analysis.run(ctx);
  return { result, reason: result.status === 'ok' ? null : (result.reason ?? `${name} ${result.status}`) };
}

/** What the ideal-profile and misaligned Results give mix to follow, and what they could not. */
export interface ProfileSeries {
  series: MixSeries[];
  /** Rules that hold (0 when ideal-profile found none or did not run). */
  rules: number;
  /** Why there is no ideal profile to follow; null when there is. */
  noIdeal: string | null;
  /** Why misaligned segments are not followed; null when they are (or there are none). */
  noMisaligned: string | null;
  misalignedSegments: number;
  warnings: string[];
}

/**
 * The series mix follows: the rules of the ideal profile that hold on
 * held-out customers (ideal-profile's `ideal_rules`, in rank order) and the
 * misaligned segments reported (misaligned's `misaligned_segments`), each
 * read back into conditions on the same groupings (segmentGroupings) and
 * checked against the words its Result states.
 */
export async function profileSeries(ctx: AnalysisContext, groupings: readonly Grouping[]): Promise<ProfileSeries> {
  const warnings: string[] = [];
  const series: MixSeries[] = [];
  const unreadable = (what: string, key: string): void => {
    warnings.push(`The ${what} ${JSON.stringify(key)} could not be read back into attributes known at acquisition here, so it is not followed over cohorts.`);
  };

  const ideal = await dependency(ctx, 'ideal-profile');
  const rules: MixSeries[] = [];
  let holdingRules = 0;
  if (ideal.result !== null && ideal.reason === null) {
    const holding = rowsOf(ideal.result, 'ideal_rules')
      .filter((r) => r['status'] === 'holds out')
      .sort((a, b) => Number(a['rank']) - Number(b['rank']));
    holdingRules = holding.length;
    for (const row of holding) {
      const key = String(row['key']);
      const conditions = parseKey(key, groupings);
      if (conditions === null || ruleText({ conditions }) !== row['rule']) {
        unreadable('rule', key);
        continue;
      }
      rules.push({ kind: rules.length === 0 ? 'ideal' : 'rule', label: ruleText({ conditions }), key, conjunctions: [conditions] });
    }
  }
  series.push(...rules);
  if (rules.length > 1) series.push({ kind: 'any_rule', label: `any of the ${rules.length} rules of the ideal profile`, key: null, conjunctions: rules.flatMap((r) => r.conjunctions) });
  const noIdeal =
    ideal.reason !== null
      ? `The ideal profile could not be found: ${ideal.reason}`
      : holdingRules === 0
        ? 'The ideal-profile analysis found no rule that holds on held-out customers, so there is no ideal profile to follow over cohorts.'
        : rules.length === 0
          ? 'The rules of the ideal profile could not be read back into attributes known at acquisition here (see the warnings), so none is followed over cohorts.'
          : null;

  const misaligned = await dependency(ctx, 'misaligned');
  const cells: MixSeries[] = [];
  if (misaligned.result !== null && misaligned.reason === null) {
    for (const row of rowsOf(misaligned.result, 'misaligned_segments').filter((r) => r['status'] === 'misaligned')) {
      const key = String(row['key']);
      const conditions = parseKey(key, groupings);
      if (conditions === null || describeCell({ conditions }) !== row['segment']) {
        unreadable('misaligned segment', key);
        continue;
      }
      cells.push({ kind: 'misaligned', label: describeCell({ conditions }), key, conjunctions: [conditions] });
    }
  }
  series.push(...cells);
  if (cells.length > 1) series.push({ kind: 'any_misaligned', label: `any of the ${cells.length} misaligned segments`, key: null, conjunctions: cells.flatMap((c) => c.conjunctions) });
  const noMisaligned = misaligned.reason === null ? null : `Misaligned segments are not followed: ${misaligned.reason}`;
  return { series, rules: rules.length, noIdeal, noMisaligned, misalignedSegments: cells.length, warnings };
}
