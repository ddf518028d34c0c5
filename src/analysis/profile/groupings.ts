import type { SqlValues } from '../sql-values.js';
import type { AnalysisContext } from '../types.js';
import { isCategorical, isNumeric, MISSING_LEVEL } from './attributes.js';
import type { AttributeInfo } from '../facts-catalogue.js';

/** A way to split customers into groups, as SQL yielding each customer's group label. */
export interface Grouping {
  /** The segments key in cxray.yaml, or the attribute name. */
  key: string;
  /** For sentences: "age band", "segment". */
  label: string;
  expr: string;
  /** Group labels in their natural order (bands ascending); empty: order by size. */
  order: string[];
  attribute: AttributeInfo;
}

/** Age bands used when cxray.yaml declares no banded segment but customers have an age. */
export const DEFAULT_AGE_BANDS = [25, 35, 45, 55, 65] as const;

function bandLabels(bands: readonly number[], integer: boolean): string[] {
  const fmt = (x: number): string => x.toLocaleString('en-US');
  const labels = [`under ${fmt(bands[0] ?? 0)}`];
  for (let i = 1; i < bands.length; i += 1) {
    const low = bands[i - 1] ?? 0;
    const high = bands[i] ?? 0;
    labels.push(integer && Number.isInteger(low) && Number.isInteger(high) ? `${fmt(low)}-${fmt(high - 1)}` : `${fmt(low)} to under ${fmt(high)}`);
  }
  labels.push(`${fmt(bands[bands.length - 1] ?? 0)} and over`);
  return labels;
}

function bandedGrouping(ctx: AnalysisContext, values: SqlValues, key: string, attribute: AttributeInfo, bands: readonly number[]): Grouping {
  const d = ctx.engine.dialect;
  const sorted = [...new Set(bands)].sort((a, b) => a - b);
  const col = d.quoteIdent(attribute.name);
  const labels = bandLabels(sorted, attribute.type === 'int32' || attribute.type === 'int64');
  const whens = sorted.map((b, i) => `WHEN ${col} < ${values.bind(b)} THEN ${values.bind(labels[i] ?? '')}`);
  const last = labels[labels.length - 1] ?? '';
  return {
    key,
    label: key.replaceAll('_', ' '),
    expr: `(CASE WHEN ${col} IS NULL THEN ${values.bind(MISSING_LEVEL)} ${whens.join(' ')} ELSE ${values.bind(last)} END)`,
    order: [...labels, MISSING_LEVEL],
    attribute,
  };
}

function categoryGrouping(ctx: AnalysisContext, values: SqlValues, key: string, attribute: AttributeInfo): Grouping {
  const d = ctx.engine.dialect;
  return {
    key,
    label: key.replaceAll('_', ' '),
    expr: `COALESCE(${d.toString(d.quoteIdent(attribute.name))}, ${values.bind(MISSING_LEVEL)})`,
    order: [],
    attribute,
  };
}

/**
 * The groupings a profile compares: the `segments` of cxray.yaml (attribute
 * values, or bands of a number such as age); without any, the categorical
 * attributes known at acquisition and age in default bands.
 */
export function profileGroupings(ctx: AnalysisContext, values: SqlValues): { groupings: Grouping[]; warnings: string[] } {
  const warnings: string[] = [];
  const groupings: Grouping[] = [];
  const bySource = new Map(ctx.facts.attributes.map((a) => [a.source, a]));
  for (const [key, spec] of Object.entries(ctx.config.segments)) {
    const attribute = spec.attribute === undefined ? undefined : bySource.get(spec.attribute);
    if (attribute === undefined) {
      warnings.push(`segments.${key} names the attribute ${spec.attribute ?? '(none)'}, which customers do not have; it is left out.`);
      continue;
    }
    if (spec.bands !== undefined && spec.bands.length > 0) {
      if (isNumeric(attribute)) groupings.push(bandedGrouping(ctx, values, key, attribute, spec.bands));
      else warnings.push(`segments.${key} gives bands for ${attribute.source}, which is not a number; it is left out.`);
    } else if (isCategorical(attribute)) {
      groupings.push(categoryGrouping(ctx, values, key, attribute));
    } else {
      warnings.push(`segments.${key}: ${attribute.source} is a number; give bands (e.g. bands: [25, 35, 45]) to group by it.`);
    }
  }
  if (groupings.length === 0) {
    for (const attribute of ctx.facts.attributes) {
      if (attribute.atAcquisition && isCategorical(attribute)) groupings.push(categoryGrouping(ctx, values, attribute.source, attribute));
    }
    const age = ctx.facts.attributes.find((a) => /^age$/i.test(a.source) && isNumeric(a));
    if (age !== undefined) groupings.push(bandedGrouping(ctx, values, 'age_band', age, DEFAULT_AGE_BANDS));
  }
  return { groupings, warnings };
}
