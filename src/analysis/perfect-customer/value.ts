import type { Interval } from '../../stats/index.js';
import { buildDesign, fitDroppingCollinear, type Design } from '../regression/design.js';
import { fitOlsInEngine } from '../regression/sql-fit.js';
import type { RowValue } from '../../engine/types.js';
import { scopeQuery, scopeSelect } from '../scope-query.js';
import { requiredNumber, type SqlValues } from '../sql-values.js';
import type { AnalysisContext } from '../types.js';
import { exposureMonths, type Behaviour } from './behaviours.js';

/** A money measure per customer-month, as a sum column of customer_facts. */
export interface ValueComponent {
  key: 'handling' | 'credits' | 'fees' | 'revenue';
  label: string;
  /** SQL over customer_facts: the customer's total by as_of. */
  sql: string;
  /** +1: more of it is worth more to the company (revenue); −1: it is a cost. 0: shown, not counted in the behaviour's value. */
  sign: 1 | -1 | 0;
}

export interface ComponentEffect {
  component: ValueComponent;
  /** Adopters minus comparable non-adopters, money per customer-month. */
  estimate: number;
  interval: Interval;
  pValue: number;
  /** Raw (unadjusted) difference of the two groups' money per customer-month. */
  raw: number;
}

export interface BehaviourValue {
  behaviour: Behaviour;
  adopters: number;
  customers: number;
  effects: ComponentEffect[];
  /** Operational value per adopter-month: costs saved plus revenue gained (fees and penalties not counted). */
  value: { estimate: number; interval: Interval; standardError: number };
  design: Design;
}

/** A customer's value by as_of as SQL: revenue net of refunds less handling cost and credits (fees not counted); null without a counted component. */
export function valueSql(ctx: AnalysisContext): string | null {
  const counted = valueComponents(ctx).filter((c) => c.sign !== 0);
  if (counted.length === 0) return null;
  return `(0 ${counted.map((c) => `${c.sign < 0 ? '-' : '+'} COALESCE(${c.sql}, 0)`).join(' ')})`;
}

/** The components present in this import (a table not imported has no component). */
export function valueComponents(ctx: AnalysisContext): ValueComponent[] {
  const q = (name: string): string => ctx.engine.dialect.quoteIdent(name);
  const has = (table: 'interactions' | 'transactions'): boolean => (ctx.tableRows[table] ?? 0) > 0;
  const out: ValueComponent[] = [];
  if (has('interactions')) out.push({ key: 'handling', label: 'handling cost of contacts', sql: q('cost_to_serve'), sign: -1 });
  if (has('transactions')) {
    out.push({ key: 'credits', label: 'credits granted', sql: q('credits'), sign: -1 });
    out.push({ key: 'revenue', label: 'revenue net of refunds', sql: `(${q('revenue')} - ${q('refunds')})`, sign: 1 });
    out.push({ key: 'fees', label: 'fees and penalties paid', sql: q('fees'), sign: 0 });
  }
  return out;
}

/**
 * What a behaviour is worth, from the data: for each money component, the
 * difference in money per customer-month between adopters and comparable
 * non-adopters: weighted least squares of (component / exposure months) on
 * adoption and the covariates, weighted by exposure (so, without covariates,
 * exactly the ratio of sums of each group), with robust standard errors.
 * The behaviour's value adds the cost components' savings and the revenue
 * difference; fees and penalties are shown but not counted (revenue from
 * penalties is not value the behaviour creates; see bad-revenue).
 */
export async function behaviourValue(ctx: AnalysisContext, values: SqlValues, behaviour: Behaviour, covariates: readonly string[]): Promise<BehaviourValue | null> {
  const components = valueComponents(ctx);
  if (components.length === 0) return null;
  const exposure = exposureMonths(ctx);
  const full = await buildDesign(ctx, values, [{ name: 'adopted', label: behaviour.label, sql: behaviour.adopted }], covariates, [`${exposure} IS NOT NULL`]);
  const raw = await buildDesign(ctx, values, [{ name: 'adopted', label: behaviour.label, sql: behaviour.adopted }], [], [`${exposure} IS NOT NULL`]);
  const d = ctx.engine.dialect;
  const perMonth = (sql: string): string => `(${d.toDouble(sql)} / ${exposure})`;
  const total = valueSql(ctx);
  const outcomes = [
    ...components.map((c) => ({ name: c.key, sql: perMonth(`COALESCE(${c.sql}, 0)`) })),
    // The value as one outcome, so its robust interval carries the components' covariances.
    ...(total === null ? [] : [{ name: VALUE, sql: perMonth(total) }]),
  ];
  const { result: adjusted, design } = await fitDroppingCollinear(full, (x) => fitOlsInEngine(ctx, values, x, outcomes, exposure));
  const unadjusted = await fitOlsInEngine(ctx, values, raw, outcomes, exposure);
  const effects: ComponentEffect[] = components.map((component) => {
    const fit = adjusted.get(component.key);
    const coefficient = fit?.robust.find((c) => c.name === 'adopted');
    const rawCoefficient = unadjusted.get(component.key)?.fit.coefficients.find((c) => c.name === 'adopted');
    if (coefficient === undefined || rawCoefficient === undefined) throw new Error(`no adoption coefficient for ${component.key}`);
    return { component, estimate: coefficient.estimate, interval: coefficient.interval, pValue: coefficient.pValue, raw: rawCoefficient.estimate };
  });
  const value = adjusted.get(VALUE)?.robust.find((c) => c.name === 'adopted') ?? { estimate: 0, standardError: 0, interval: { lower: 0, upper: 0, level: 0.95 } };
  const [row] = await scopeQuery<{ _a: RowValue }>(ctx, scopeSelect(ctx, { items: [`sum(${behaviour.adopted}) AS ${d.quoteIdent('_a')}`], where: design.where }), values);
  return {
    behaviour,
    adopters: requiredNumber(row?._a ?? 0, 'adopters'),
    customers: adjusted.get(components[0]?.key ?? '')?.fit.n ?? 0,
    effects,
    value: { estimate: value.estimate, standardError: value.standardError, interval: value.interval },
    design,
  };
}

const VALUE = '_value';
