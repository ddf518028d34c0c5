import type { Grouping } from '../profile/groupings.js';
import type { Cell, Result } from '../result.js';
import type { Condition } from '../ideal-profile/rule.js';
import { PRICE_TIER_SHARE } from '../ideal-profile/price-tier.js';

/** A rule of the ideal profile that held out, as the ideal-profile Result states it. */
export interface ProfileRule {
  /** Its rank in the ideal-profile Result (`ideal_rules.rank`). */
  id: number;
  /** "segment = retail AND acquisition channel = referral". */
  text: string;
  conditions: Condition[];
}

/** What the ideal-profile Result says the prospects model may use. */
export interface ProfileBasis {
  /** Rules that held out on the held-out half, by rank. */
  rules: ProfileRule[];
  /** Grouping keys the rules may use (`ideal_attributes.in_rules`); null when the Result does not say. */
  ruleAttributes: Set<string> | null;
  /** Why attributes were left out of the rules, keyed by grouping key. */
  leftOut: Map<string, string>;
  /** The Result's status and reason, when it is not ok. */
  notOk: string | null;
}

function tableRows(result: Result, name: string): Record<string, Cell>[] {
  const table = result.tables.find((t) => t.name === name);
  if (table === undefined) return [];
  return table.rows.map((row) => Object.fromEntries(table.columns.map((c, i) => [c.name, row[i] ?? null])));
}

/**
 * A rule key (`grouping=level&grouping=level`, ideal-profile/rule.ts) read
 * back into conditions on `groupings`. Levels may hold `&` or `=`: a part
 * starts a new condition only where it begins with a known grouping key and
 * `=`. Null when a grouping is not known here.
 */
export function parseRuleKey(key: string, groupings: readonly Grouping[]): Condition[] | null {
  const byKey = new Map(groupings.map((g) => [g.key, g]));
  const conditions: Condition[] = [];
  for (const part of key.split('&')) {
    const eq = part.indexOf('=');
    const grouping = eq > 0 ? byKey.get(part.slice(0, eq)) : undefined;
    if (grouping !== undefined && !conditions.some((c) => c.grouping === grouping)) {
      conditions.push({ grouping, level: part.slice(eq + 1) });
      continue;
    }
    const last = conditions[conditions.length - 1];
    if (last === undefined) return null;
    last.level = `${last.level}&${part}`;
  }
  return conditions.length === 0 ? null : conditions;
}

/**
 * The ideal profile's rules that hold out and the attributes it allows,
 * from its Result (the `ideal_rules` and `ideal_attributes` tables), with
 * the conditions on this context's groupings.
 */
export function profileBasis(result: Result, groupings: readonly Grouping[]): ProfileBasis {
  if (result.status !== 'ok') return { rules: [], ruleAttributes: null, leftOut: new Map(), notOk: `${result.status}: ${result.reason ?? 'no reason given'}` };
  const rules: ProfileRule[] = [];
  for (const row of tableRows(result, 'ideal_rules')) {
    if (row['status'] !== 'holds out' || typeof row['key'] !== 'string' || typeof row['rule'] !== 'string') continue;
    const conditions = parseRuleKey(row['key'], groupings);
    if (conditions === null) continue;
    rules.push({ id: Number(row['rank']), text: row['rule'], conditions });
  }
  const attributes = tableRows(result, 'ideal_attributes');
  const ruleAttributes = attributes.length === 0 ? null : new Set(attributes.filter((r) => r['in_rules'] === true).map((r) => String(r['attribute'])));
  const leftOut = new Map<string, string>();
  for (const r of attributes) {
    if (r['in_rules'] === true) continue;
    const share = typeof r['value_explained'] === 'number' ? r['value_explained'] : null;
    leftOut.set(
      String(r['attribute']),
      share !== null && share >= PRICE_TIER_SHARE
        ? `the ideal profile leaves it out of its rules: it alone explains ${(100 * share).toFixed(0)}% of the variation in net value per customer-month, so it says what customers pay (a price tier) rather than who they are`
        : 'the ideal profile leaves it out of its rules (not in cxray.yaml fit.rule_attributes)',
    );
  }
  return { rules: rules.sort((a, b) => a.id - b.id), ruleAttributes, leftOut, notOk: null };
}
