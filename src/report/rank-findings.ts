import type { AnalysisName } from '../analysis/names.js';
import { countValue, type Finding, type MoneyAtStake, type Result, type Severity } from '../analysis/result.js';
import { formatEstimate } from './format-value.js';
import { sentenceWithInterval, sentences } from './sentence.js';

/** A finding chosen for the executive page, with the one sentence that carries it. */
export interface RankedFinding {
  analysis: AnalysisName;
  finding: Finding;
  /** One sentence with the finding's number and interval. */
  sentence: string;
  /** The money at stake over a year (month × 12, quarter × 4; a total as it is), or null. */
  yearlyMoney: number | null;
}

const SEVERITY_RANK: Record<Severity, number> = { high: 3, medium: 2, low: 1, info: 0 };
const PER_YEAR: Record<MoneyAtStake['period'], number> = { total: 1, year: 1, quarter: 4, month: 12 };

/** How the executive page chooses its findings, stated in the report's methods. */
export const RANKING_METHOD = [
  'The executive page takes the findings the analyses marked high, medium or low (claims that passed their false-discovery-rate and practical-size screens); descriptive findings (info) are not ranked.',
  'They are ordered by severity (high, then medium, then low); within a severity, by money at stake (its absolute amount over a year: a monthly amount × 12, a quarterly one × 4; an amount for the whole period analysed counts as it is), findings with money before those without; then by the number of customers or responses the finding rests on (n).',
  'To show breadth, the first pass takes at most one finding per analysis; if that gives fewer than five, the next findings in the same order fill the page. A finding whose sentence repeats one already chosen (two analyses stating the same claim) is shown once.',
  "Each is shown by the first sentence of its text that states an interval; when none does, by its first sentence followed by the estimate and interval from the finding's fields.",
].join(' ');

export function yearlyMoney(finding: Finding): number | null {
  const m = finding.moneyAtStake;
  return m === undefined ? null : Math.abs(m.amount) * PER_YEAR[m.period];
}

/** The one sentence a manager reads for a finding: it carries the number and the interval. */
export function executiveSentence(finding: Finding): string {
  const withInterval = sentenceWithInterval(finding.text);
  if (withInterval !== null) return withInterval;
  const first = sentences(finding.text)[0] ?? finding.text;
  return `${first.replace(/[.!?]$/, '')}; estimate ${formatEstimate(finding.estimate, finding.interval, finding.unit)}.`;
}

/** Negative when `a` ranks before `b`. */
function compare(a: RankedFinding, b: RankedFinding): number {
  const bySeverity = SEVERITY_RANK[b.finding.severity] - SEVERITY_RANK[a.finding.severity];
  if (bySeverity !== 0) return bySeverity;
  const byMoney = (b.yearlyMoney ?? -1) - (a.yearlyMoney ?? -1);
  if (byMoney !== 0) return byMoney;
  return countValue(b.finding.n) - countValue(a.finding.n);
}

/**
 * The findings with the most money or customers at stake, as RANKING_METHOD
 * says: ranked claims of the `ok` results, at most one per analysis unless
 * that leaves fewer than `limit`.
 */
export function rankFindings(results: readonly Result[], limit = 5): RankedFinding[] {
  const candidates = results
    .filter((r) => r.status === 'ok')
    .flatMap((r) =>
      r.findings
        .filter((f) => f.severity !== 'info')
        .map((f) => ({ analysis: r.name, finding: f, sentence: executiveSentence(f), yearlyMoney: yearlyMoney(f) })),
    );
  // Array.prototype.sort is stable: ties keep the analyses' order and each analysis's own order.
  const ordered = [...candidates].sort(compare);
  const chosen: RankedFinding[] = [];
  const seen = new Set<AnalysisName>();
  // Two analyses can state the same claim in the same words (profile and mix on a drifting channel): it is shown once.
  const repeats = (c: RankedFinding): boolean => chosen.some((x) => x.sentence === c.sentence);
  for (const c of ordered) {
    if (chosen.length >= limit) break;
    if (seen.has(c.analysis) || repeats(c)) continue;
    seen.add(c.analysis);
    chosen.push(c);
  }
  for (const c of ordered) {
    if (chosen.length >= limit) break;
    if (!chosen.includes(c) && !repeats(c)) chosen.push(c);
  }
  return chosen.sort(compare);
}
