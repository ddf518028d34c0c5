import type { Design } from '../regression/design.js';
import type { AnalysisContext } from '../types.js';
import { words } from '../wording.js';

/** Attribute names that say what a customer bought or pays at acquisition: its value tier. */
const TIER = /plan|tier|package|product|edition|bundle|membership|level|price|subscription/i;

/**
 * What the adjustment knows of each customer's value before adoption, in
 * words: the value-tier attributes (a plan, tier or package known at
 * acquisition) among the covariates the fit kept, or a warning that there is
 * none. Without one, adopters who were worth more from the start make the
 * behaviour look worth more than it is, and the reader must know.
 */
export function valueTierStatement(ctx: Pick<AnalysisContext, 'facts'>, design: Design | undefined): { assumption: string; warning: string | null } {
  const kept = new Set((design?.covariates ?? []).map((c) => c.name));
  const tiers = ctx.facts.attributes.filter((a) => kept.has(a.name) && TIER.test(a.source)).map((a) => a.source);
  if (tiers.length > 0) {
    return {
      assumption: `The value tier measured before adoption is ${words.list(tiers)}, known at acquisition: adopters are compared with non-adopters who started on the same ${tiers.length === 1 ? 'tier' : 'tiers'}.`,
      warning: null,
    };
  }
  const warning =
    'No value tier known before adoption is among the covariates (a plan, tier or package column marked `at_acquisition: true` in cxray.yaml, or listed under adjust_for): if adopters were worth more from the start, that shows here as the behaviour\'s value.';
  return { assumption: warning, warning };
}
