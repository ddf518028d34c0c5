import { hasRows } from '../needs.js';
import type { SatisfactionMeasure } from '../perfect-customer/satisfaction.js';
import type { AnalysisContext } from '../types.js';
import type { ValueKnowledge } from '../value/knowledge.js';
import { COMPONENT_KEYS, type ComponentKey } from './settings.js';

/** One component of the fit score: a per-customer measure with the direction a good fit shows. */
export interface ComponentSpec {
  key: ComponentKey;
  /** For sentences and tables: "net value per customer-month". */
  label: string;
  /** Short name in a decomposition: "value". */
  short: string;
  /** The unit of the measure: the currency per month, `score`, `share`, `referrals a year`. */
  unit: string;
  /** +1: more is a better fit; −1: less is. */
  expectedSign: 1 | -1;
  /** Why the data cannot measure it (the component is left out), or null. */
  missing: string | null;
}

/**
 * The five components as this import can measure them: net value per
 * customer-month; satisfaction (the mean NPS answer 0-10, else the mean
 * CSAT); cost to serve per customer-month; retention (still a customer);
 * referrals made per year of exposure. A component the data do not give is
 * left out and says why, never measured as zero.
 */
export function componentSpecs(ctx: AnalysisContext, measure: SatisfactionMeasure | null, knowledge: ValueKnowledge): ComponentSpec[] {
  const currency = ctx.config.currency;
  const stored = new Set(ctx.facts.columns.map((c) => c.name));
  const costUnknown = knowledge.costToServe === 'absent' || knowledge.costToServe === 'unknown';
  const churnKnown = hasRows(ctx, 'status_changes') && stored.has('churned') && stored.has('churned_at');
  const specs: Record<ComponentKey, ComponentSpec> = {
    value: {
      key: 'value',
      label: churnKnown ? 'net value per customer-month (0 once churned)' : 'net value per customer-month',
      short: 'value',
      unit: `${currency} a month`,
      expectedSign: 1,
      missing: null,
    },
    satisfaction: {
      key: 'satisfaction',
      label: measure?.kind === 'csat' ? 'mean CSAT answer' : 'mean NPS answer (0-10)',
      short: 'satisfaction',
      unit: 'score',
      expectedSign: 1,
      missing: measure === null ? 'no customer in scope gave an NPS or CSAT answer (at least 10 are needed)' : null,
    },
    cost_to_serve: {
      key: 'cost_to_serve',
      label: 'cost to serve per customer-month',
      short: 'cost to serve',
      unit: `${currency} a month`,
      expectedSign: -1,
      missing: costUnknown
        ? knowledge.costToServe === 'absent'
          ? 'no interactions rows'
          : 'no interaction has a cost or a handling rate (handling_cost or handling_cost_per_minute in cxray.yaml)'
        : null,
    },
    retention: {
      key: 'retention',
      label: 'still a customer (not churned)',
      short: 'retention',
      unit: 'share',
      expectedSign: 1,
      missing: churnKnown ? null : 'churn is not recorded (no status_changes rows)',
    },
    referrals: {
      key: 'referrals',
      label: 'referrals made per year as a customer',
      short: 'referrals',
      unit: 'referrals a year',
      expectedSign: 1,
      missing: hasRows(ctx, 'referrals') && stored.has('referrals_made') ? null : 'referrals are not recorded (no referrals rows)',
    },
  };
  return COMPONENT_KEYS.map((k) => specs[k]);
}
