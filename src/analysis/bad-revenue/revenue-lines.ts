import type { CxrayConfig } from '../../config/schema.js';
import type { EarningKind } from './customer-source.js';
import type { Fold, RawLine } from './line-sums.js';

/** A line is compared only with at least this many paying customers whose class is known. */
export const MINIMUM_LINE_PAYERS = 30;

/** ... and at least this share of its kind's revenue (fees, purchases). */
export const MINIMUM_LINE_SHARE = 0.001;

export type LineStatus = 'compared' | 'folded' | 'too small';

/** A revenue line as reported: a category of fees or purchases, or the pool of a kind's small ones. */
export interface RevenueLine {
  /** `kind:category`, `kind:` without a category, `kind:*` for the pool. */
  key: string;
  kind: EarningKind;
  category: string | null;
  label: string;
  status: LineStatus;
  /** The pool a folded line went into. */
  foldedInto: string | null;
  raw: RawLine;
}

const POOL = '*';

/** The line's words: the label cxray.yaml gives a fee, else its category as written. */
export function lineLabel(config: Pick<CxrayConfig, 'fees'>, kind: EarningKind, category: string | null): string {
  if (category === null) return kind === 'fee' ? 'fees without a category' : 'purchases without a category';
  if (kind === 'fee') return config.fees[category]?.label ?? category;
  return category;
}

function poolLabel(kind: EarningKind, lines: number): string {
  return `other ${kind === 'fee' ? 'fees' : 'purchases'} (${lines} small lines pooled)`;
}

/**
 * Which lines are compared. A line with fewer than MINIMUM_LINE_PAYERS
 * paying customers of known class (in the class alerted on), or under
 * MINIMUM_LINE_SHARE of its kind's revenue, gives a ratio too noisy or too
 * small to act on; two or more such lines of a kind are pooled into one
 * "other" line (summed per customer, see lineSums), compared if it clears
 * the payers rule, else reported as too small; a lone small line is
 * reported as too small.
 */
export function planLines(config: Pick<CxrayConfig, 'fees'>, raw: readonly RawLine[]): { lines: RevenueLine[]; folds: Fold[] } {
  const kindRevenue = new Map<EarningKind, number>();
  for (const r of raw) kindRevenue.set(r.kind, (kindRevenue.get(r.kind) ?? 0) + r.revenue);
  const large = (r: RawLine): boolean => (r.classes[0]?.payers ?? 0) >= MINIMUM_LINE_PAYERS && r.revenue >= MINIMUM_LINE_SHARE * (kindRevenue.get(r.kind) ?? 0);
  const folds: Fold[] = [];
  const lines: RevenueLine[] = [];
  for (const kind of ['fee', 'purchase'] as const) {
    const ofKind = raw.filter((r) => r.kind === kind).sort((a, b) => b.revenue - a.revenue || String(a.category).localeCompare(String(b.category)));
    const small = ofKind.filter((r) => !large(r));
    const pooled = small.length >= 2;
    if (pooled) folds.push({ kind, categories: small.map((r) => r.category) });
    for (const r of ofKind) {
      const compared = large(r);
      lines.push({
        key: `${kind}:${r.category ?? ''}`,
        kind,
        category: r.category,
        label: lineLabel(config, kind, r.category),
        status: compared ? 'compared' : pooled ? 'folded' : 'too small',
        foldedInto: compared || !pooled ? null : `${kind}:${POOL}`,
        raw: r,
      });
    }
  }
  return { lines, folds };
}

/** The pool of a fold, from its sums (lineSums with the fold): compared when it clears the payers rule. */
export function poolLine(fold: Fold, raw: RawLine): RevenueLine {
  return {
    key: `${fold.kind}:${POOL}`,
    kind: fold.kind,
    category: null,
    label: poolLabel(fold.kind, fold.categories.length),
    status: (raw.classes[0]?.payers ?? 0) >= MINIMUM_LINE_PAYERS ? 'compared' : 'too small',
    foldedInto: null,
    raw,
  };
}
