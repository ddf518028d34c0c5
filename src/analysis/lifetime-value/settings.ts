import { UserError } from '../../errors.js';
import type { AnalysisContext } from '../types.js';

/** The unit of the models' rates and ages; ages are counted in whole days and only scaled. */
export type TimeUnit = 'week' | 'day';

export const UNIT_DAYS: Record<TimeUnit, number> = { week: 7, day: 1 };

/** Days in an average Gregorian month. */
export const DAYS_PER_MONTH = 365.25 / 12;

/** Below this median age (days from the first purchase to the end of calibration), the unit is days: weeks would make most ages fractions of one. */
export const YOUNG_MEDIAN_AGE_DAYS = 56;

export interface LifetimeSettings {
  /** Declared in cxray.yaml, else null (chosen from the data: weeks unless customers are young). */
  declaredUnit: TimeUnit | null;
  horizonMonths: number;
  monthlyDiscountRate: number;
  /** The last day of calibration (YYYY-MM-DD): as_of without a holdout. */
  calibrationEnd: string;
  /** A holdout from the day after calibrationEnd to as_of. */
  holdout: boolean;
  /** Holdout length in days (0 without a holdout). */
  holdoutDays: number;
  contractPeriodMonths: number;
}

const dayNumber = (date: string): number => Date.parse(`${date}T00:00:00Z`) / 86_400_000;

/** The lifetime_value settings of cxray.yaml with their defaults; a calibration end not before as_of is a UserError. */
export function lifetimeSettings(ctx: Pick<AnalysisContext, 'config' | 'asOf'>): LifetimeSettings {
  const declared = ctx.config.lifetime_value ?? {};
  const end = declared.calibration_end;
  if (end !== undefined && dayNumber(end) >= dayNumber(ctx.asOf)) {
    throw new UserError('calibration_end_not_before_as_of', `lifetime_value.calibration_end (${end}) is not before as_of (${ctx.asOf}), so there is no holdout period to check the forecasts against.`, {
      hint: 'Set calibration_end to a date before as_of (e.g. a year before), or remove it to fit on all the history.',
    });
  }
  return {
    declaredUnit: declared.time_unit ?? null,
    horizonMonths: declared.horizon_months ?? 12,
    monthlyDiscountRate: declared.monthly_discount_rate ?? 0.01,
    calibrationEnd: end ?? ctx.asOf,
    holdout: end !== undefined,
    holdoutDays: end === undefined ? 0 : dayNumber(ctx.asOf) - dayNumber(end),
    contractPeriodMonths: declared.contract_period_months ?? 12,
  };
}

/** The declared unit, else weeks, or days when the median customer is younger than YOUNG_MEDIAN_AGE_DAYS. */
export function chooseTimeUnit(settings: Pick<LifetimeSettings, 'declaredUnit'>, medianAgeDays: number): TimeUnit {
  if (settings.declaredUnit !== null) return settings.declaredUnit;
  return medianAgeDays < YOUNG_MEDIAN_AGE_DAYS ? 'day' : 'week';
}

/** The instant just after the last day of calibration (UTC midnight). */
export function dayAfter(date: string): Date {
  return new Date((dayNumber(date) + 1) * 86_400_000);
}

export function startOfDay(date: string): Date {
  return new Date(dayNumber(date) * 86_400_000);
}
