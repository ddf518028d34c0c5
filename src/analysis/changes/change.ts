import { z } from 'zod';

/**
 * Defaults of a change's windows, in months: six before the date and six
 * after it (cut at as_of). Six months holds two quarters on either side, so
 * a quarterly rhythm weighs alike on both, and at a typical survey cadence
 * (a customer asked once or twice a year) a few thousand answers in a
 * base of 20,000; longer windows let other changes and drifting trends
 * pile into the comparison, which difference-in-differences assumes away.
 */
export const CHANGE_WINDOW_DEFAULTS = { beforeMonths: 6, afterMonths: 6 } as const;

/** Longest window a change may ask for, either side. */
export const MAX_WINDOW_MONTHS = 60;

const calendarDate = z.iso.date();

/**
 * A change to measure, as `cxray changes add` stores it: a name, the date it
 * took effect, the customers it touched (a segment rule, as `--segment`
 * takes; none: all customers), the comparison group (a rule; default the
 * customers the segment rule does not match), and optionally its windows.
 *
 * @example
 * changeSchema.parse({ name: 'North network upgrade', date: '2025-10-01', segment: "region = 'North'" })
 */
export const changeSchema = z.strictObject({
  name: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'no control characters'),
  /** The first day the change was in effect (YYYY-MM-DD). */
  date: calendarDate,
  /** The customers it touched: a segment rule over customer_facts columns. */
  segment: z.string().trim().min(1).optional(),
  /** The comparison group: a segment rule; default every customer the segment does not match. */
  compare: z.string().trim().min(1).optional(),
  description: z.string().trim().min(1).max(500).optional(),
  /** Months before the date in the before window (default 6). */
  before_months: z.number().int().min(1).max(MAX_WINDOW_MONTHS).optional(),
  /** Months from the date in the after window, cut at as_of (default 6). */
  after_months: z.number().int().min(1).max(MAX_WINDOW_MONTHS).optional(),
  /** When the change was recorded (ISO 8601, UTC). */
  added_at: z.iso.datetime().optional(),
});

export type ChangeDefinition = z.infer<typeof changeSchema>;

/** A change's name as a code part: lower-case letters, digits and underscores (`north_network_upgrade`). */
export function changeSlug(name: string): string {
  const slug = name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 40)
    .replace(/_+$/g, '');
  return slug === '' ? 'change' : slug;
}

/** Slugs for the changes of one run, made unique by a suffix where two names slug alike. */
export function uniqueSlugs(names: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((name) => {
    const base = changeSlug(name);
    const count = (seen.get(base) ?? 0) + 1;
    seen.set(base, count);
    return count === 1 ? base : `${base}_${count}`;
  });
}
