import { CollinearPredictorsError, SymmetricSolver } from '../../stats/index.js';
import { words } from '../wording.js';
import { correlationFromMoments, subMatrix } from './moments.js';
import type { DriverSpec, ExcludedDriver, Moments, OutcomeSpec } from './types.js';

/** |r| with the outcome at or above this: a driver that nearly is the outcome (a leak or a definitional link). */
export const LEAK_CORRELATION = 0.95;
/** Pairwise |r| at or above this between two drivers: nearly collinear. */
export const COLLINEAR_CORRELATION = 0.9;
/** A variance inflation factor above this: the others explain the driver almost wholly. */
export const MAXIMUM_VIF = 10;
/** Complete rows needed per driver before weights are shown (a common rule of thumb for regression). */
export const ROWS_PER_DRIVER = 10;
/** A flag level with fewer rows than this cannot be weighed. */
export const MINIMUM_LEVEL_ROWS = 5;
/**
 * A flag level where all or none have a 0/1 outcome is a leak when chance
 * would show that this rarely at the overall rate; a small level can show it
 * by chance, and is then kept.
 */
const SEPARATION_CHANCE = 0.001;

export interface DriverScreen {
  /** Indices (into the moments' variables, 1..p) of the drivers kept, in order. */
  kept: number[];
  excluded: ExcludedDriver[];
  warnings: string[];
  /** Why no weights can be shown, or null. */
  withheld: string | null;
}

const r2 = (r: number): string => r.toFixed(2);

/** A flag level (0/1 driver) where the outcome is all or nothing, and how surprising that is. */
function separation(m: Moments, i: number, outcome: OutcomeSpec): { level: string; size: number; rate: number; chance: number } | null {
  if (!outcome.binary) return null;
  const ones = m.sums[i] ?? 0;
  const zeros = m.n - ones;
  const withOutcome = m.products[i]?.[0] ?? 0;
  const overall = (m.sums[0] ?? 0) / m.n;
  const levels = [
    { level: 'with', size: ones, count: withOutcome },
    { level: 'without', size: zeros, count: (m.sums[0] ?? 0) - withOutcome },
  ];
  for (const l of levels) {
    if (l.size <= 0) continue;
    const rate = l.count / l.size;
    if (rate === 0 || rate === 1) {
      const chance = rate === 0 ? (1 - overall) ** l.size : overall ** l.size;
      return { level: l.level, size: l.size, rate, chance };
    }
  }
  return null;
}

/**
 * Which drivers can be weighed, and the warnings about them (DESIGN.md:
 * warnings in words). Leaves out, naming each: drivers that do not vary,
 * flags with a level too rare to weigh, drivers that nearly are the outcome
 * (|r| ≥ 0.95, or a flag level with all or none of a 0/1 outcome: a leak or
 * a definitional link, not a finding), and drivers exactly determined by the
 * others. Names nearly collinear drivers (pairwise |r| ≥ 0.9, VIF > 10),
 * whose weights split what they share. Withholds the weights when there are
 * fewer than 10 complete rows per driver.
 */
export function screenDrivers(point: Moments, specs: readonly DriverSpec[], outcome: OutcomeSpec, rowsAre: string): DriverScreen {
  const corr = correlationFromMoments(point);
  const excluded: ExcludedDriver[] = [];
  const warnings: string[] = [];
  if (point.n < 3 || !Number.isFinite(corr[0]?.[0] ?? Number.NaN)) {
    return { kept: [], excluded, warnings, withheld: `${outcome.label} does not vary over the ${words.count(point.n)} complete ${rowsAre}, so nothing can explain it.` };
  }
  let kept: number[] = [];
  specs.forEach((spec, k) => {
    const i = k + 1;
    const r = corr[i]?.[0] ?? Number.NaN;
    if (!Number.isFinite(corr[i]?.[i] ?? Number.NaN)) {
      excluded.push({ spec, reason: 'constant', text: `${spec.label} is the same for every one of the ${words.count(point.n)} ${rowsAre}, so it cannot drive anything; it was left out.` });
      return;
    }
    if (spec.kind === 'flag') {
      const ones = point.sums[i] ?? 0;
      const fewest = Math.min(ones, point.n - ones);
      if (fewest < MINIMUM_LEVEL_ROWS) {
        excluded.push({ spec, reason: 'rare', text: `${spec.label} is too rare to weigh (${words.count(fewest)} of ${words.count(point.n)} ${rowsAre} on its smaller side); it was left out.` });
        return;
      }
      const split = separation(point, i, outcome);
      if (split !== null && split.chance < SEPARATION_CHANCE) {
        const all = split.rate === 1 ? 'all' : 'none';
        excluded.push({
          spec,
          reason: 'leak',
          text: `${spec.label} separates ${outcome.label} almost perfectly: ${all} of the ${words.count(split.size)} ${rowsAre} ${split.level} it ${outcome.happened}. That is a likely leak or a definitional link (the flag may be recorded because of the outcome), not a finding; it was left out of the weights.`,
        });
        return;
      }
    }
    if (Math.abs(r) >= LEAK_CORRELATION) {
      excluded.push({
        spec,
        reason: 'leak',
        text: `${spec.label} nearly is ${outcome.label} (r = ${r2(r)} over ${words.count(point.n)} ${rowsAre}): a likely leak or a definitional link (the same question asked twice, or a measure derived from the outcome), not a finding; it was left out of the weights.`,
      });
      return;
    }
    kept.push(i);
  });

  for (let a = 0; a < kept.length; a += 1) {
    for (let b = a + 1; b < kept.length; b += 1) {
      const i = kept[a] ?? 0;
      const j = kept[b] ?? 0;
      const r = corr[i]?.[j] ?? 0;
      if (Math.abs(r) >= COLLINEAR_CORRELATION) {
        warnings.push(
          `${specs[i - 1]?.label ?? ''} and ${specs[j - 1]?.label ?? ''} are nearly collinear (r = ${r2(r)}): they measure much the same thing, so their weights split what they share; read them together.`,
        );
      }
    }
  }
  const names = kept.map((i) => specs[i - 1]?.name ?? `#${i}`);
  try {
    SymmetricSolver.factor(subMatrix(corr, kept), names);
  } catch (error) {
    if (!(error instanceof CollinearPredictorsError)) throw error;
    const dropped = new Set(error.collinear.map((c) => c.column));
    for (const c of error.collinear) {
      const spec = specs.find((s) => s.name === c.column);
      if (spec === undefined) continue;
      const others = c.dependsOn.map((n) => specs.find((s) => s.name === n)?.label ?? n);
      excluded.push({
        spec,
        reason: 'collinear',
        text:
          others.length === 0
            ? `${spec.label} carries no information beside the other drivers; it was left out.`
            : `${spec.label} is fully determined by ${words.list(others)} (collinear): the data cannot separate them, so it was left out of the weights.`,
      });
    }
    kept = kept.filter((i) => !dropped.has(specs[i - 1]?.name ?? ''));
  }
  if (kept.length >= 2) {
    const inverse = SymmetricSolver.factor(subMatrix(corr, kept), kept.map((i) => specs[i - 1]?.name ?? `#${i}`)).inverse();
    kept.forEach((i, a) => {
      const vif = inverse[a]?.[a] ?? 0;
      if (vif > MAXIMUM_VIF) {
        warnings.push(`${specs[i - 1]?.label ?? ''} is nearly collinear with the other drivers (variance inflation factor ${vif.toFixed(1)} > ${MAXIMUM_VIF}): its weight is shared with them and its interval is wide.`);
      }
    });
  }
  let withheld: string | null = null;
  if (kept.length === 0) withheld = `No driver is left to weigh once the ones named in the warnings are set aside.`;
  else if (point.n < ROWS_PER_DRIVER * kept.length) {
    withheld = `Too few complete ${rowsAre} for ${kept.length} drivers: ${words.count(point.n)}, fewer than ${ROWS_PER_DRIVER} per driver (${ROWS_PER_DRIVER * kept.length} needed), so weights would be noise and are not reported.`;
  }
  return { kept, excluded, warnings, withheld };
}
