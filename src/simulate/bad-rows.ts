import type { QuarantineReason } from '../model/ledger.js';
import type { Rng } from './random.js';

/**
 * Where planted rows go. Each file gets a schedule of positions (counted in
 * clean data rows written so far, never within the first CLEAN_LEAD rows, so
 * format sniffing sees clean data): bad rows (about 0.1% of rows, split over
 * the file's defect kinds), exact duplicates and, for the survey, previews.
 * Positions past the file's real end are planted at its end.
 */
export const CLEAN_LEAD = 50;
const BAD_ROW_RATE = 0.001;
const DUPLICATE_RATE = 0.0005;
const PREVIEW_RATE = 0.002;
/** Kinds that stay rare whatever the size: a handful is enough to show the handling. */
const CAPPED_REASONS: Partial<Record<QuarantineReason, number>> = { bad_encoding: 2 };

export type Plant = { type: 'bad'; reason: QuarantineReason } | { type: 'duplicate' } | { type: 'preview' };

export interface PlantPlanOptions {
  reasons: readonly QuarantineReason[];
  duplicates: boolean;
  previews: boolean;
}

/** Minimum count per kind: 2, fewer for tiny files. */
function minimumPerKind(estimatedRows: number): number {
  return estimatedRows >= 500 ? 2 : estimatedRows >= 120 ? 1 : 0;
}

export class PlantSchedule {
  private readonly slots: { at: number; plant: Plant }[] = [];
  private cursor = 0;

  constructor(rng: Rng, estimatedRows: number, options: PlantPlanOptions) {
    const minimum = minimumPerKind(estimatedRows);
    const span = Math.max(1, estimatedRows - CLEAN_LEAD);
    const add = (count: number, plant: Plant): void => {
      for (let i = 0; i < count; i += 1) this.slots.push({ at: CLEAN_LEAD + Math.floor(rng.float() * span), plant });
    };
    const perReason = Math.round((BAD_ROW_RATE * estimatedRows) / Math.max(1, options.reasons.length));
    for (const reason of options.reasons) {
      const cap = CAPPED_REASONS[reason] ?? Number.POSITIVE_INFINITY;
      add(Math.min(cap, Math.max(minimum, perReason)), { type: 'bad', reason });
    }
    if (options.duplicates) add(Math.max(minimum, Math.round(DUPLICATE_RATE * estimatedRows)), { type: 'duplicate' });
    if (options.previews) add(Math.max(minimum, Math.round(PREVIEW_RATE * estimatedRows)), { type: 'preview' });
    this.slots.sort((a, b) => a.at - b.at);
  }

  /** The next plant due once `cleanRows` clean rows are written, if any. */
  due(cleanRows: number): Plant | null {
    const slot = this.slots[this.cursor];
    if (slot === undefined || slot.at > cleanRows) return null;
    this.cursor += 1;
    return slot.plant;
  }

  /** Plants never reached because the file ended early. */
  remaining(): Plant[] {
    const rest = this.slots.slice(this.cursor).map((slot) => slot.plant);
    this.cursor = this.slots.length;
    return rest;
  }
}
