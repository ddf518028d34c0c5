import type { ResultTable, Segments } from './api-types.js';

/**
 * Which customers a table row is about, as a segment rule the API takes
 * (`/api/customers?segment=`). The rules come from /api/segments (the
 * server writes them: `segment = 'retail'`, `age >= 25 AND age < 35`);
 * nothing here parses or builds a rule of its own beyond joining them with
 * AND.
 *
 * A row names its customers in one of two ways in cxray's Results:
 * - a segment key and its level: `grouping`, `attribute` or `segment` beside
 *   `level` (value_by_segment, index_by_segment, value_balance_segments);
 * - a cell key `segment=retail&plan=Basic` in a `key` column (ideal_rules,
 *   misaligned_segments, mix_by_cohort).
 * Pooled rows ("other (pooled)") and keys of unknown segments get no rule.
 */
export class SegmentLinks {
  private readonly rules = new Map<string, string>();

  constructor(segments: Segments) {
    for (const s of segments.segments) for (const level of s.levels) this.rules.set(`${s.key}\u0000${level.value}`, level.rule);
  }

  ruleOf(key: string, level: string): string | null {
    return this.rules.get(`${key}\u0000${level}`) ?? null;
  }

  /** The rule of a cell key `a=x&b=y`, or null when a part is unknown. */
  ruleOfCellKey(cellKey: string): string | null {
    const parts = cellKey.split('&').map((part) => {
      const at = part.indexOf('=');
      return at < 0 ? null : this.ruleOf(part.slice(0, at), part.slice(at + 1));
    });
    if (parts.length === 0 || parts.some((p) => p === null)) return null;
    const rules = parts as string[];
    return rules.length === 1 ? (rules[0] ?? null) : rules.map((r) => (/ AND | OR /i.test(r) ? `(${r})` : r)).join(' AND ');
  }

  /** For each row of a table, the rule of its customers (or null), or null when the table has no such column. */
  rowRules(table: ResultTable): (string | null)[] | null {
    const index = (name: string): number => table.columns.findIndex((c) => c.name === name && c.type === 'string');
    const key = index('key');
    const level = index('level');
    const grouping = ['grouping', 'attribute', 'segment'].map(index).filter((i) => i >= 0);
    if (key < 0 && (level < 0 || grouping.length === 0)) return null;
    const rules = table.rows.map((row) => {
      const cellKey = key < 0 ? null : row[key];
      if (typeof cellKey === 'string') {
        const rule = this.ruleOfCellKey(cellKey);
        if (rule !== null) return rule;
      }
      const value = level < 0 ? null : row[level];
      if (typeof value !== 'string') return null;
      for (const g of grouping) {
        const name = row[g];
        if (typeof name !== 'string') continue;
        const rule = this.ruleOf(name, value);
        if (rule !== null) return rule;
      }
      return null;
    });
    return rules.some((r) => r !== null) ? rules : null;
  }
}
