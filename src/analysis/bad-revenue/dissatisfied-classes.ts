import type { RowValue } from '../../engine/types.js';
import { scopeQuery, scopeSelect } from '../scope-query.js';
import { numberOf, type SqlValues } from '../sql-values.js';
import type { AnalysisContext } from '../types.js';
import { words } from '../wording.js';
import type { CustomerSource } from './customer-source.js';

export type ClassKey = 'detractors' | 'low_csat' | 'churned';

/** A way of telling dissatisfied customers, as SQL over a counted customer's row. */
export interface DissatisfiedClass {
  key: ClassKey;
  /** Plural noun for sentences: "detractors", "customers with a low CSAT". */
  label: string;
  /** How a customer is put in the class, for tables and the method. */
  definition: string;
  /** SQL condition: the customer's class is known. */
  known: string;
  /** SQL condition (with `known`): the customer is dissatisfied. */
  dissatisfied: string;
  /** SQL DOUBLE: the customer's weight in the share of customers (months of exposure), or null for one each. */
  weight: string | null;
  /** What the dissatisfied are a share of. */
  basis: 'customers' | 'customer-months';
}

/** A class needs this many customers of known class in scope, and at least one dissatisfied and one not. */
export const MINIMUM_CLASS_CUSTOMERS = 10;

/** Low CSAT: a latest answer at most this share of the scale's top (1-2 of 5, 1-2 of 7, 0-4 of 10). */
const LOW_CSAT_SHARE = 0.4;

/** The cuts of the standard scales (5 and 7: 2; 10: 4; 100: 40), counted with the scale's top so an all-low or no-low class is known at once. */
const LOW_CSAT_CUTS = [2, 4, 40] as const;

/** A standard scale's top (5, 7, 10 or 100), else the largest score rounded up: CSAT scales vary by survey tool. */
function scaleTop(largest: number): number {
  return [5, 7, 10, 100].find((top) => largest <= top) ?? Math.ceil(largest);
}

/**
 * The classes the data support, the first being the one alerted on:
 * detractors (latest NPS answer 0-6, as customer_facts' nps_class) where
 * customers answered NPS, else low CSAT; the others are shown beside it.
 * Low CSAT where CSAT was asked; customers who later churned where status
 * changes are imported, their share taken of customer-months, not of
 * customers: churned customers had less time to pay, and a share of
 * customers would make every recurring line look as if it avoided them.
 */
export async function dissatisfiedClasses(ctx: AnalysisContext, source: CustomerSource, values: SqlValues): Promise<DissatisfiedClass[]> {
  const d = ctx.engine.dialect;
  const q = d.quoteIdent;
  const none = '0';
  const [row] = await scopeQuery<Record<string, RowValue>>(
    ctx,
    scopeSelect(ctx, {
      items: [
        `${source.nps === null ? none : `count(${source.nps})`} AS ${q('_nps')}`,
        `${source.nps === null ? none : `sum(CASE WHEN ${source.nps} <= 6 THEN 1 ELSE 0 END)`} AS ${q('_nps_low')}`,
        `${source.csat === null ? none : `count(${source.csat})`} AS ${q('_csat')}`,
        `${source.csat === null ? none : `max(${source.csat})`} AS ${q('_csat_top')}`,
        ...LOW_CSAT_CUTS.map((cut) => `${source.csat === null ? none : `sum(CASE WHEN ${source.csat} <= ${cut} THEN 1 ELSE 0 END)`} AS ${q(`_csat_${cut}`)}`),
        `${source.churned === null || source.months === null ? none : `sum(CASE WHEN ${source.months} IS NOT NULL THEN 1 ELSE 0 END)`} AS ${q('_exposed')}`,
        `${source.churned === null || source.months === null ? none : `sum(CASE WHEN ${source.months} IS NOT NULL AND ${source.churned} = 1 THEN 1 ELSE 0 END)`} AS ${q('_churned')}`,
      ],
      ...(source.join === undefined ? {} : { join: source.join }),
      where: source.where,
    }),
    values,
  );
  const n = (name: string): number => numberOf(row?.[name]) ?? 0;
  const enough = (known: number, low: number | null): boolean => known >= MINIMUM_CLASS_CUSTOMERS && (low === null || (low > 0 && low < known));
  const classes: DissatisfiedClass[] = [];
  if (source.nps !== null && enough(n('_nps'), n('_nps_low'))) {
    classes.push({
      key: 'detractors',
      label: 'detractors',
      definition: 'detractors: latest NPS answer 0 to 6',
      known: `${source.nps} IS NOT NULL`,
      dissatisfied: `${source.nps} <= 6`,
      weight: null,
      basis: 'customers',
    });
  }
  const top = scaleTop(n('_csat_top'));
  const cut = Math.floor(LOW_CSAT_SHARE * top);
  if (source.csat !== null && enough(n('_csat'), (LOW_CSAT_CUTS as readonly number[]).includes(cut) ? n(`_csat_${cut}`) : null)) {
    classes.push({
      key: 'low_csat',
      label: 'customers with a low CSAT',
      definition: `low CSAT: latest CSAT answer ${words.number(cut, 0)} or less (read as a scale up to ${words.number(top, 0)} from the largest score given)`,
      known: `${source.csat} IS NOT NULL`,
      dissatisfied: `${source.csat} <= ${values.bind(cut)}`,
      weight: null,
      basis: 'customers',
    });
  }
  if (source.churned !== null && source.months !== null && enough(n('_exposed'), n('_churned'))) {
    classes.push({
      key: 'churned',
      label: 'customers who later churned',
      definition: `churned: the customer had churned by ${ctx.asOf}; their share is of customer-months of exposure${ctx.period === null ? '' : ' in the period'}`,
      known: `${source.months} IS NOT NULL`,
      dissatisfied: `${source.churned} = 1`,
      weight: d.toDouble(source.months),
      basis: 'customer-months',
    });
  }
  return classes;
}
