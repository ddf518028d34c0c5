import type { Finding } from '../result.js';
import { words } from '../wording.js';
import type { DriverModel, DriverWeight } from './types.js';

const pct = (x: number): string => words.percent(x);
/** r to 2 decimals, without a "-0.00". */
export const rWords = (r: number): string => (Math.abs(r) < 0.005 ? 0 : r).toFixed(2);

/** Which way a driver points, in words: "higher ratings go with higher scores". */
export function directionWords(model: Pick<DriverModel, 'outcome'>, d: DriverWeight): string {
  const up = d.correlation >= 0;
  const outcome = up ? model.outcome.more : model.outcome.less;
  if (d.spec.kind === 'rating') return `higher ratings go with ${outcome}`;
  if (d.spec.kind === 'flag') return `those who have it show ${outcome}`;
  return `more of it goes with ${outcome}`;
}

/** "the largest driver", "driver 3 of 8". */
function rankWords(d: DriverWeight, of: number): string {
  return d.rank === 1 ? 'the largest driver' : `driver ${d.rank} of ${of}`;
}

/**
 * One finding per weighed driver: its share of the explained variance with
 * the bootstrap interval, its direction and n. Shares are estimates, not
 * claimed differences, so they are not screened; the intervals say how sure.
 */
export function weightFindings(model: DriverModel, code: string): Finding[] {
  if (model.withheld !== null) return [];
  const of = model.drivers.length;
  return model.drivers.map((d) => ({
    code,
    text:
      `${d.spec.label} is ${rankWords(d, of)} of ${model.outcome.label}: ${pct(d.share)} of the explained variation ` +
      `(${words.interval(d.shareInterval, pct)}); ${directionWords(model, d)} (r = ${rWords(d.correlation)}; n = ${words.count(model.n)} ${model.rowsAre}).`,
    estimate: d.share,
    unit: 'share',
    interval: d.shareInterval,
    n: model.n,
    severity: 'info' as const,
  }));
}

/** R² of the drivers together, with its interval. */
export function rSquaredFinding(model: DriverModel, code: string, what: string): Finding[] {
  if (model.withheld !== null || model.rSquared === null || model.rSquaredInterval === null) return [];
  return [
    {
      code,
      text: `${what} explain ${pct(model.rSquared)} of the variation in ${model.outcome.label} (R², ${words.interval(model.rSquaredInterval, pct)}; n = ${words.count(model.n)} ${model.rowsAre}).`,
      estimate: model.rSquared,
      unit: 'share',
      interval: model.rSquaredInterval,
      n: model.n,
      severity: 'info',
    },
  ];
}

/** "Network (23.0%), Support (17.1%) and Price (15.3%)". */
export function leadersWords(model: DriverModel, count = 3): string {
  return words.list(model.drivers.slice(0, count).map((d) => `${d.spec.label} (${pct(d.share)})`));
}
