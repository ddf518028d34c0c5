import { normalCritical } from '../../stats/index.js';
import type { Finding } from '../result.js';
import type { AnalysisContext } from '../types.js';
import { words } from '../wording.js';
import type { ScoreDecile } from './calibration-deciles.js';
import type { ComponentWeight } from './fit-model.js';
import type { FitExplanation } from './explain.js';
import type { FitScore } from './fit-score.js';
import { lastDayBefore } from './fit-score.js';

/** A component's spread in words: "$25.60 a month", "1.8 points", "46 percentage points". */
function spread(c: ComponentWeight, sd: number, currency: string): string {
  if (c.spec.unit.startsWith(currency)) return `${words.money(sd, currency, 2)} a month`;
  if (c.spec.unit === 'share') return `${words.number(sd * 100, 0)} percentage points`;
  if (c.spec.unit === 'score') return `${words.number(sd, 2)} points`;
  return `${words.number(sd, 2)} ${c.spec.unit}`;
}

/** One finding per fitted weight: what one standard deviation more of the component went with. */
export function weightFindings(ctx: AnalysisContext, fit: FitScore): Finding[] {
  const cal = fit.calibration;
  if (cal === null) return [];
  const currency = ctx.config.currency;
  const months = fit.settings.calibrationMonths;
  const money = (x: number): string => words.signedMoney(x, currency, 2);
  return fit.model.components.flatMap((c): Finding[] => {
    const f = c.fitted;
    if (f === null) return [];
    const against = c.leftOut === 'against its expected direction';
    const tail = against
      ? `: against its expected direction (${c.spec.expectedSign > 0 ? 'more should be better' : 'less should be better'}), so it gets no weight in the score.`
      : c.used
        ? '.'
        : `; left out: ${c.leftOut ?? 'no weight'}.`;
    return [
      {
        code: `fit.weight.${c.spec.key}`,
        text:
          `${c.spec.label[0]?.toUpperCase() ?? ''}${c.spec.label.slice(1)}: one standard deviation more (${spread(c, f.sdAtCalibration, currency)}) went with ${money(f.estimate)} of net value over the next ${months} months ` +
          `(${words.interval(f.interval, (x) => words.money(x, currency, 2))}; n = ${words.count(cal.result.customers)} customers on ${lastDayBefore(cal.at)})${tail}`,
        estimate: f.estimate,
        unit: currency,
        interval: f.interval,
        n: cal.result.customers,
        pValue: f.pValue,
        severity: against ? 'medium' : 'info',
      },
    ];
  });
}

/** Top tenth against bottom tenth of the score at the calibration date: the money the score separates. */
export function spreadFinding(ctx: AnalysisContext, fit: FitScore, deciles: readonly ScoreDecile[]): Finding[] {
  const top = deciles[deciles.length - 1];
  const bottom = deciles[0];
  if (top === undefined || bottom === undefined || top === bottom || top.forward === null || bottom.forward === null) return [];
  const currency = ctx.config.currency;
  const difference = top.forward.estimate - bottom.forward.estimate;
  const se = Math.hypot(top.forward.standardError, bottom.forward.standardError);
  const z = normalCritical(0.95);
  const interval = { lower: difference - z * se, upper: difference + z * se, level: 0.95 };
  const months = fit.settings.calibrationMonths;
  return [
    {
      code: 'fit.calibration_spread',
      text:
        `Customers in the top tenth of fit on ${lastDayBefore(fit.calibration?.at ?? new Date())} brought ${words.money(top.forward.estimate, currency, 0)} each over the next ${months} months, the bottom tenth ${words.money(bottom.forward.estimate, currency, 0)}: ` +
        `${words.money(difference, currency, 0)} more (${words.interval(interval, (x) => words.money(x, currency, 0))}; n = ${words.count(top.customers + bottom.customers)}).`,
      estimate: difference,
      unit: currency,
      interval,
      n: top.customers + bottom.customers,
      severity: 'info',
    },
  ];
}

/** "Customer 10000037 scores 38: 52 for an average customer, −10 for value, ...". */
export function explanationSentence(fit: FitScore, e: FitExplanation): string {
  const label = new Map(fit.model.components.map((c) => [c.spec.key, c.spec.short]));
  const parts = e.parts.map((p) => `${p.points >= 0 ? '+' : '−'}${words.number(Math.abs(p.points), 1)} for ${label.get(p.key) ?? p.key}${p.value === null ? ' (not measured: counted as average)' : ''}`);
  const clipped = e.unclipped !== e.score ? ` (${words.number(e.unclipped, 1)} before the score is kept within 0-100)` : '';
  return `Customer ${e.customerId} scores ${words.number(e.score, 1)}: ${words.number(e.base, 1)} for a customer average on everything, ${words.list(parts)}${clipped}.`;
}
