import { isSuppressed, screen } from '../../stats/index.js';
import { groupTable } from '../result-builder.js';
import type { Cell, Finding } from '../result.js';
import { meanSummaryFromSums, standardisedMeanDifference, standardisedProportionDifference, type StandardisedDifference } from '../standardised-difference.js';
import { DIFFERENCE_UNITS } from '../thresholds.js';
import type { AnalysisContext } from '../types.js';
import { words } from '../wording.js';
import { MISSING_LEVEL } from './attributes.js';
import type { SectionOutput } from './section.js';
import type { TierAggregates } from './value-tiers.js';

/** Findings shown about the top tier; the table keeps them all. */
const MAX_FINDINGS = 8;

interface Contrast {
  label: string;
  top: number;
  rest: number;
  format: (x: number) => string;
  difference: StandardisedDifference;
  n: [number, number];
}

const add = (xs: readonly number[]): number => xs.reduce((s, x) => s + x, 0);

function contrasts(agg: TierAggregates): Contrast[] {
  const out: Contrast[] = [];
  for (const { variable, byTier } of agg.variables) {
    if (!variable.compare) continue;
    const top = byTier[3] ?? { n: 0, sum: 0, sumSquares: 0 };
    const rest = { n: add(byTier.slice(0, 3).map((b) => b.n)), sum: add(byTier.slice(0, 3).map((b) => b.sum)), sumSquares: add(byTier.slice(0, 3).map((b) => b.sumSquares)) };
    if (isSuppressed(top.n) || isSuppressed(rest.n)) continue;
    const difference =
      variable.kind === 'share'
        ? standardisedProportionDifference({ count: Math.round(top.sum), n: top.n }, { count: Math.round(rest.sum), n: rest.n })
        : standardisedMeanDifference(meanSummaryFromSums(top.n, top.sum, top.sumSquares), meanSummaryFromSums(rest.n, rest.sum, rest.sumSquares));
    if (difference === null) continue;
    out.push({ label: variable.label, top: top.sum / top.n, rest: rest.sum / rest.n, format: variable.format, difference, n: [top.n, rest.n] });
  }
  const topN = agg.customers[3] ?? 0;
  const restN = add(agg.customers.slice(0, 3));
  for (const { attribute, byLevel } of agg.levels) {
    for (const [level, counts] of byLevel) {
      if (level === MISSING_LEVEL || (attribute.type === 'boolean' && level !== 'true')) continue;
      const a = counts[3] ?? 0;
      const b = add(counts.slice(0, 3));
      if (isSuppressed(a + b) || isSuppressed(topN) || isSuppressed(restN)) continue;
      const difference = standardisedProportionDifference({ count: a, n: topN }, { count: b, n: restN });
      if (difference === null) continue;
      out.push({ label: attribute.type === 'boolean' ? attribute.source : `${attribute.source} ${level}`, top: a / topN, rest: b / restN, format: words.percent, difference, n: [topN, restN] });
    }
  }
  return out;
}

function sentence(c: Contrast): string {
  const d = c.difference;
  return (
    `Top-quarter customers differ on ${c.label}: ${c.format(c.top)} against ${c.format(c.rest)} for the other customers ` +
    `(standardised difference ${d.estimate >= 0 ? '+' : '−'}${Math.abs(d.estimate).toFixed(2)}, ${words.interval(d.interval, (x) => x.toFixed(2))}; n = ${words.count(c.n[0])} and ${words.count(c.n[1])}).`
  );
}

/**
 * What sets the top quarter by net value apart from the rest: standardised
 * differences on every attribute level and measure, screened together by
 * Benjamini–Hochberg and the practical threshold in standard-deviation units.
 */
export function topTierSection(ctx: AnalysisContext, agg: TierAggregates): SectionOutput {
  const all = contrasts(agg);
  const screened = screen(
    all.map((c) => ({ ...c, estimate: c.difference.estimate, pValue: c.difference.pValue, unit: DIFFERENCE_UNITS.standardisedDifference })),
    { alpha: ctx.thresholds.fdr, practicalThreshold: ctx.thresholds.byUnit },
  );
  const passing = screened.filter((c) => c.passes).sort((a, b) => Math.abs(b.estimate) - Math.abs(a.estimate));
  const findings: Finding[] = passing.slice(0, MAX_FINDINGS).map((c) => ({
    code: 'profile.top_tier_difference',
    text: sentence(c),
    estimate: c.difference.estimate,
    unit: DIFFERENCE_UNITS.standardisedDifference,
    interval: c.difference.interval,
    n: c.n[0] + c.n[1],
    pValue: c.difference.pValue,
    qValue: c.qValue,
    severity: Math.abs(c.difference.estimate) >= 0.5 ? 'medium' : 'low',
  }));
  const rows: Cell[][] = screened.map((c) => [
    c.label,
    c.n[0],
    c.n[1],
    c.top,
    c.rest,
    c.difference.estimate,
    c.difference.interval.lower,
    c.difference.interval.upper,
    c.difference.pValue,
    c.qValue,
    c.passes,
  ]);
  const threshold = ctx.thresholds.byUnit[DIFFERENCE_UNITS.standardisedDifference] ?? 0;
  const leaders = passing.slice(0, 3).map((c) => `${c.label} (${c.format(c.top)} against ${c.format(c.rest)})`);
  return {
    summary: leaders.length === 0 ? ['Nothing sets the top quarter by net value apart beyond the practical threshold.'] : [`What sets the top quarter apart: ${words.list(leaders)}.`],
    findings,
    tables: [
      groupTable(
        'top_tier_differences',
        [
          { name: 'measure', type: 'string' },
          { name: 'n', type: 'integer', unit: 'customers' },
          { name: 'n_rest', type: 'integer', unit: 'customers' },
          { name: 'top_quarter', type: 'number' },
          { name: 'others', type: 'number' },
          { name: 'standardised_difference', type: 'number', unit: DIFFERENCE_UNITS.standardisedDifference },
          { name: 'lower', type: 'number', unit: DIFFERENCE_UNITS.standardisedDifference },
          { name: 'upper', type: 'number', unit: DIFFERENCE_UNITS.standardisedDifference },
          { name: 'p_value', type: 'number' },
          { name: 'q_value', type: 'number' },
          { name: 'passes', type: 'boolean' },
        ],
        rows,
        { countColumn: 'n', keyColumns: ['measure'] },
      ),
    ],
    assumptions: [
      `Top quarter against the other three: standardised differences (Austin 2009) with the raw difference's interval (Welch or Newcombe) on the same scale; shown when q ≤ ${ctx.thresholds.fdr} (Benjamini-Hochberg across all ${all.length} comparisons) and |d| ≥ ${threshold}.`,
    ],
  };
}
