import { CxrayError } from '../errors.js';

/**
 * Statistics functions receive numbers an analysis has already aggregated;
 * a negative count or a level outside (0, 1) there is a bug in the caller,
 * not something the user can fix, so it is a plain CxrayError, not a UserError.
 */
export function assertInput(condition: boolean, message: string): asserts condition {
  if (!condition) throw new CxrayError('stats_invalid_input', message);
}

export function assertLevel(level: number): void {
  assertInput(Number.isFinite(level) && level > 0 && level < 1, `Confidence level must lie in (0, 1); got ${level}.`);
}

export function assertCount(value: number, name: string): void {
  assertInput(Number.isInteger(value) && value >= 0, `${name} must be a non-negative integer; got ${value}.`);
}
