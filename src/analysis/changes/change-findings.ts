import type { Finding } from '../result.js';
import { words } from '../wording.js';
import { effectSentence, preTrendWarning } from './change-words.js';
import { harmful, presented, PRE_TREND_ALPHA, type Claim } from './effect-claims.js';
import type { MeasuredChange } from './measure-change.js';

/** The summary sentences, findings and warnings of one measured change. */
export interface ChangeReport {
  summary: string[];
  findings: Finding[];
  warnings: string[];
}

/**
 * One change in words: the NPS sentence first (the example a manager
 * repeats) whether claimed or not, then each other claimed effect, then one
 * sentence naming what showed no clear change or could not be measured.
 * Findings are the claimed effects; a flagged pre-trend is a warning.
 */
export function changeReport(m: MeasuredChange, claims: ReadonlyMap<string, Claim>, currency: string, fdr: number): ChangeReport {
  const summary: string[] = [];
  const findings: Finding[] = [];
  const warnings: string[] = [];
  const head = m.effects.find((e) => e.measure.kind === 'nps' && e.effect !== null) ?? m.effects.find((e) => e.effect !== null);
  if (head !== undefined) summary.push(effectSentence(m, head, currency));
  const chance: string[] = [];
  const small: string[] = [];
  const unmeasured: string[] = [];
  for (const e of m.effects) {
    const name = e.measure.label;
    if (e.effect === null) {
      unmeasured.push(`${name} (${e.reason ?? 'too few customers'})`);
      continue;
    }
    const claim = claims.get(e.measure.key);
    if (claim?.passes === true) {
      const text = effectSentence(m, e, currency);
      if (e !== head) summary.push(text);
      const p = presented(e.measure.kind, e.effect, currency);
      findings.push({
        code: `changes.${m.slug}.${e.measure.key}`,
        text,
        estimate: p.estimate,
        unit: p.unit,
        interval: p.interval,
        n: e.customers,
        pValue: claim.pValue,
        qValue: claim.qValue,
        severity: harmful(e.measure.kind, e.effect) ? 'medium' : 'info',
      });
    } else if (e !== head) {
      (claim !== undefined && claim.qValue <= fdr ? small : chance).push(name);
    }
    if (e.preTrend !== null && e.preTrend.pValue < PRE_TREND_ALPHA) warnings.push(preTrendWarning(m, e, currency));
  }
  if (chance.length > 0) summary.push(`${m.change.name}: no clear change in ${words.list(chance)} (${chance.length === 1 ? 'its interval does' : 'their intervals do'} not rule out chance).`);
  if (small.length > 0) summary.push(`${m.change.name}: ${words.list(small)} changed, but by less than the practical threshold.`);
  if (unmeasured.length > 0) summary.push(`${m.change.name}: not measured: ${words.list(unmeasured)}.`);
  return { summary, findings, warnings };
}
