import { UserError } from '../../errors.js';
import { groupTable } from '../result-builder.js';
import type { Cell, ResultTable } from '../result.js';
import { VALUE_PREFIX, whatIf, whatIfBehaviours, type WhatIf, type WhatIfOptions, type WhatIfSource } from './what-if.js';

/** The what-if table of the perfect-customer Result is stated for these points. */
export const WHAT_IF_TABLE_POINTS: readonly number[] = [5, 10, 20];

/**
 * The `what_if` table of the perfect-customer Result: one row per behaviour
 * and points in WHAT_IF_TABLE_POINTS, built by whatIf from the Result's
 * parts; a part that could not be estimated is null, with why in `note`.
 * Rows about fewer than 5 customers keep only behaviour and points (the
 * note names counts).
 */
export function whatIfTable(source: WhatIfSource, options: WhatIfOptions = {}): ResultTable {
  const rows: Cell[][] = [];
  for (const behaviour of whatIfBehaviours(source)) {
    for (const points of WHAT_IF_TABLE_POINTS) {
      let w: WhatIf;
      try {
        w = whatIf(source, behaviour, points, options);
      } catch (error) {
        if (!(error instanceof UserError)) throw error;
        rows.push([behaviour, points, options.customersInScope ?? null, null, null, null, null, null, null, null, null, null, null, null, `${error.message} ${error.hint ?? ''}`.trim()]);
        continue;
      }
      const { money: m, satisfaction: s, retention: r } = w;
      const missing = [m.status === 'missing' ? `money: ${m.reason}` : null, s.status === 'missing' ? `satisfaction: ${s.reason}` : null, r.status === 'missing' ? `retention: ${r.reason}` : null, ...w.notes].filter((x): x is string => x !== null);
      rows.push([
        behaviour,
        points,
        w.customers,
        w.newAdopters,
        ...(m.status === 'estimated' ? [m.estimate, m.interval.lower, m.interval.upper] : [null, null, null]),
        ...(s.status === 'estimated' ? [s.measure, s.estimate, s.interval.lower, s.interval.upper] : [null, null, null, null]),
        ...(r.status === 'estimated' ? [r.estimate, r.interval.lower, r.interval.upper] : [null, null, null]),
        missing.length === 0 ? null : missing.join(' '),
      ]);
    }
  }
  const currency = source.findings.find((f) => f.code.startsWith(VALUE_PREFIX))?.unit ?? null;
  return groupTable(
    'what_if',
    [
      { name: 'behaviour', type: 'string' },
      { name: 'points', type: 'number', unit: 'percentage_points' },
      { name: 'n', type: 'integer', unit: 'customers' },
      { name: 'new_adopters', type: 'number', unit: 'customers' },
      { name: 'money_per_year', type: 'number', unit: currency },
      { name: 'money_lower', type: 'number', unit: currency },
      { name: 'money_upper', type: 'number', unit: currency },
      { name: 'satisfaction_measure', type: 'string' },
      { name: 'satisfaction_change', type: 'number', unit: 'points' },
      { name: 'satisfaction_lower', type: 'number', unit: 'points' },
      { name: 'satisfaction_upper', type: 'number', unit: 'points' },
      { name: 'churn_change', type: 'number', unit: 'percentage_points' },
      { name: 'churn_lower', type: 'number', unit: 'percentage_points' },
      { name: 'churn_upper', type: 'number', unit: 'percentage_points' },
      { name: 'note', type: 'string' },
    ],
    rows,
    { countColumn: 'n', keyColumns: ['behaviour', 'points'] },
  );
}
