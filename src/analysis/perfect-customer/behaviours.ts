import { planFactsLayout } from '../../facts/layout.js';
import type { AnalysisContext } from '../types.js';

/** A declared behaviour as the perfect-customer analysis reads it from customer_facts. */
export interface Behaviour {
  key: string;
  label: string;
  /** The boolean adoption column of customer_facts. */
  flag: string;
  /** SQL 0/1 integer: adopted. */
  adopted: string;
  /** Declared operational value, money per customer-month; null when not declared. */
  declaredPerMonth: number | null;
}

/** The behaviours of cxray.yaml whose adoption column is in this import's customer_facts. */
export function declaredBehaviours(ctx: AnalysisContext): Behaviour[] {
  const d = ctx.engine.dialect;
  const layout = planFactsLayout(ctx.config, ctx.facts.attributes.map((a) => ({ name: a.source, type: a.type })));
  const stored = new Set(ctx.facts.columns.map((c) => c.name));
  return layout.behaviours
    .filter((b) => stored.has(b.flag))
    .map((b) => ({
      key: b.key,
      label: b.label ?? b.key.replaceAll('_', ' '),
      flag: b.flag,
      adopted: d.ifThen(`${d.boolToInt(d.quoteIdent(b.flag))} = 1`, '1', '0'),
      declaredPerMonth: ctx.config.behaviours[b.key]?.value_per_month ?? null,
    }));
}

/** Days in an average month (365.25 / 12): how exposure in days becomes customer-months. */
export const DAYS_PER_MONTH = 30.4375;

/** Each customer's exposure in months (customer_facts.exposure_days over DAYS_PER_MONTH); NULL without a start date. */
export function exposureMonths(ctx: AnalysisContext): string {
  const d = ctx.engine.dialect;
  return `(${d.quoteIdent('exposure_days')} / ${DAYS_PER_MONTH})`;
}
