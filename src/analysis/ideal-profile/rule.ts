import type { Grouping } from '../profile/groupings.js';
import type { SqlValues } from '../sql-values.js';

/** One condition of a rule: a grouping (attribute known at acquisition) at one level. */
export interface Condition {
  grouping: Grouping;
  level: string;
}

/** A conjunction of conditions on distinct attributes, in the groupings' order. */
export interface Rule {
  conditions: Condition[];
  /** Stable: `grouping=level` joined by `&`. */
  key: string;
}

export function makeRule(conditions: readonly Condition[], order: readonly Grouping[]): Rule {
  const sorted = [...conditions].sort((a, b) => order.indexOf(a.grouping) - order.indexOf(b.grouping));
  return { conditions: sorted, key: sorted.map((c) => `${c.grouping.key}=${c.level}`).join('&') };
}

/** "acquisition channel = referral AND contract type = annual". */
export function ruleText(rule: Pick<Rule, 'conditions'>): string {
  return rule.conditions.map((c) => `${c.grouping.label} = ${c.level}`).join(' AND ');
}

/** SQL: the customer meets every condition. */
export function ruleSql(rule: Pick<Rule, 'conditions'>, values: SqlValues): string {
  return `(${rule.conditions.map((c) => `${c.grouping.expr} = ${values.bind(c.level)}`).join(' AND ')})`;
}

/** Sums of one measure over a group of customers: mergeable by addition. */
export interface Sums {
  n: number;
  sum: number;
  squares: number;
}

export const NO_SUMS: Sums = { n: 0, sum: 0, squares: 0 };

export function addSums(a: Sums, b: Sums): Sums {
  return { n: a.n + b.n, sum: a.sum + b.sum, squares: a.squares + b.squares };
}

export function subtractSums(a: Sums, b: Sums): Sums {
  return { n: a.n - b.n, sum: a.sum - b.sum, squares: a.squares - b.squares };
}

export function meanOf(s: Sums): number {
  return s.n > 0 ? s.sum / s.n : Number.NaN;
}

/** Population variance of the summed values (0 when fewer than two). */
export function varianceOf(s: Sums): number {
  if (s.n < 2) return 0;
  const m = s.sum / s.n;
  return Math.max(0, (s.squares - s.n * m * m) / (s.n - 1));
}
