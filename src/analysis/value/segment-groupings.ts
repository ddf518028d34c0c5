import { isCategorical, MISSING_LEVEL } from '../profile/attributes.js';
import { profileGroupings, type Grouping } from '../profile/groupings.js';
import type { SqlValues } from '../sql-values.js';
import type { AnalysisContext } from '../types.js';

/**
 * The ways customers are split into segments: the `segments` of cxray.yaml
 * (attribute values, or bands of a number such as age), and every
 * categorical attribute known at acquisition that no segment already names.
 * Only what is known when a customer arrives, so a segment describes whom
 * the company acquires, not what became of them.
 */
export function segmentGroupings(ctx: AnalysisContext, values: SqlValues): { groupings: Grouping[]; warnings: string[] } {
  const d = ctx.engine.dialect;
  const { groupings, warnings } = profileGroupings(ctx, values);
  const named = new Set(groupings.map((g) => g.attribute.source));
  const keys = new Set(groupings.map((g) => g.key));
  for (const attribute of ctx.facts.attributes) {
    if (!attribute.atAcquisition || !isCategorical(attribute) || named.has(attribute.source) || keys.has(attribute.source)) continue;
    groupings.push({
      key: attribute.source,
      label: attribute.source.replaceAll('_', ' '),
      expr: `COALESCE(${d.toString(d.quoteIdent(attribute.name))}, ${values.bind(MISSING_LEVEL)})`,
      order: [],
      attribute,
    });
  }
  return { groupings, warnings };
}
