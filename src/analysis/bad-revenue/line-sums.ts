import type { RowValue } from '../../engine/types.js';
import { perCustomerSubquery } from '../per-customer-join.js';
import { scopeQuery, scopeSelect } from '../scope-query.js';
import { numberOf, type SqlValues } from '../sql-values.js';
import type { AnalysisContext } from '../types.js';
import type { ClassBase, LineSums } from './concentration.js';
import type { CustomerSource, EarningKind } from './customer-source.js';
import type { DissatisfiedClass } from './dissatisfied-classes.js';

/** The counted customers in scope, per class, with what they paid in every line (for the overall share). */
export interface BaseSums {
  /** Customers counted (in scope; with a period, exposed in it). */
  customers: number;
  /** Customers who paid anything in a revenue line. */
  payers: number;
  /** What they paid in every line (money, exact sum read as a number). */
  revenue: number;
  /** By class, in the order of the classes given. */
  classes: { base: ClassBase; paid: LineSums }[];
}

/** One revenue line's sums: all its payers, and per class those whose class is known. */
export interface RawLine {
  kind: EarningKind;
  /** The category (the line), null for payments without one; for a pool, null. */
  category: string | null;
  payers: number;
  revenue: number;
  classes: LineSums[];
}

/** Lines folded into one pool: their kind and categories (null stands for payments without a category). */
export interface Fold {
  kind: EarningKind;
  categories: readonly (string | null)[];
}

type SqlRow = Record<string, RowValue>;

function classItems(ctx: AnalysisContext, c: DissatisfiedClass, prefix: string, y: string): string[] {
  const d = ctx.engine.dialect;
  const q = d.quoteIdent;
  const zeroMoney = d.toMoney('0');
  const zero = d.toDouble('0');
  const yd = d.toDouble(y);
  const bad = `${c.known} AND ${c.dissatisfied}`;
  const when = (cond: string, expr: string, otherwise: string): string => `sum(CASE WHEN ${cond} THEN ${expr} ELSE ${otherwise} END)`;
  const items = [
    `${when(c.known, '1', '0')} AS ${q(`${prefix}_n`)}`,
    `${when(bad, '1', '0')} AS ${q(`${prefix}_dn`)}`,
    `${when(c.known, y, zeroMoney)} AS ${q(`${prefix}_y`)}`,
    `${when(bad, y, zeroMoney)} AS ${q(`${prefix}_dy`)}`,
    `${when(c.known, `${yd} * ${yd}`, zero)} AS ${q(`${prefix}_yy`)}`,
    `${when(bad, `${yd} * ${yd}`, zero)} AS ${q(`${prefix}_dyy`)}`,
  ];
  if (c.weight !== null) {
    items.push(`${when(c.known, `${yd} * ${c.weight}`, zero)} AS ${q(`${prefix}_yw`)}`, `${when(bad, `${yd} * ${c.weight}`, zero)} AS ${q(`${prefix}_dyw`)}`);
  }
  return items;
}

function lineSumsOf(row: SqlRow, c: DissatisfiedClass, prefix: string): LineSums {
  const n = (name: string): number => numberOf(row[`${prefix}_${name}`]) ?? 0;
  return { payers: n('n'), y: n('y'), dy: n('dy'), yy: n('yy'), dyy: n('dyy'), yw: c.weight === null ? n('y') : n('yw'), dyw: c.weight === null ? n('dy') : n('dyw') };
}

/** The per-class bases and the overall revenue: one query over the counted customers. */
export async function baseSums(ctx: AnalysisContext, source: CustomerSource, classes: readonly DissatisfiedClass[], values: SqlValues): Promise<BaseSums> {
  const d = ctx.engine.dialect;
  const q = d.quoteIdent;
  const zero = d.toDouble('0');
  const items = [`count(*) AS ${q('_customers')}`, `sum(CASE WHEN ${source.paid} > ${d.toMoney('0')} THEN 1 ELSE 0 END) AS ${q('_payers')}`, `sum(${source.paid}) AS ${q('_revenue')}`];
  classes.forEach((c, i) => {
    items.push(...classItems(ctx, c, `_o${i}`, source.paid));
    if (c.weight !== null) {
      const when = (cond: string, expr: string): string => `sum(CASE WHEN ${cond} THEN ${expr} ELSE ${zero} END)`;
      const bad = `${c.known} AND ${c.dissatisfied}`;
      items.push(
        `${when(c.known, c.weight)} AS ${q(`_o${i}_w`)}`,
        `${when(bad, c.weight)} AS ${q(`_o${i}_dw`)}`,
        `${when(c.known, `${c.weight} * ${c.weight}`)} AS ${q(`_o${i}_ww`)}`,
        `${when(bad, `${c.weight} * ${c.weight}`)} AS ${q(`_o${i}_dww`)}`,
      );
    }
  });
  const [row] = await scopeQuery<SqlRow>(ctx, scopeSelect(ctx, { items, ...(source.join === undefined ? {} : { join: source.join }), where: source.where }), values);
  const r = row ?? {};
  const n = (name: string): number => numberOf(r[name]) ?? 0;
  return {
    customers: n('_customers'),
    payers: n('_payers'),
    revenue: n('_revenue'),
    classes: classes.map((c, i) => {
      const p = `_o${i}`;
      const base: ClassBase =
        c.weight === null
          ? { customers: n(`${p}_n`), w: n(`${p}_n`), dw: n(`${p}_dn`), ww: n(`${p}_n`), dww: n(`${p}_dn`) }
          : { customers: n(`${p}_n`), w: n(`${p}_w`), dw: n(`${p}_dw`), ww: n(`${p}_ww`), dww: n(`${p}_dww`) };
      return { base, paid: lineSumsOf(r, c, p) };
    }),
  };
}

/**
 * Each revenue line's sums (one GROUP BY over the counted customers joined
 * to what each paid per line), or, with `fold`, the one pool of the folded
 * lines of a kind: what a customer paid across them is summed per customer
 * first, so the pool's second moments are a customer's, not a line's.
 */
export async function lineSums(ctx: AnalysisContext, source: CustomerSource, classes: readonly DissatisfiedClass[], values: SqlValues, fold?: Fold): Promise<RawLine[]> {
  const d = ctx.engine.dialect;
  const q = d.quoteIdent;
  const t = source.transactions;
  const where = [...t.where];
  if (fold !== undefined) {
    const named = fold.categories.filter((c): c is string => c !== null);
    const either = [
      ...(named.length === 0 ? [] : [`${t.category} IN (${named.map((c) => values.bind(c)).join(', ')})`]),
      ...(fold.categories.includes(null) ? [`${t.category} IS NULL`] : []),
    ];
    where.push(`${t.kind} = ${values.bind(fold.kind)}`, `(${either.join(' OR ')})`);
  }
  const category = fold === undefined ? `${t.category} AS ${q('_bl_category')}` : `CAST(NULL AS ${d.columnType('string', true)}) AS ${q('_bl_category')}`;
  const perLine = perCustomerSubquery(
    ctx,
    'transactions',
    [`${t.kind} AS ${q('_bl_kind')}`, category, `${d.toMoney(`sum(${t.amount})`)} AS ${q('_bl_y')}`],
    where,
    fold === undefined ? [t.kind, t.category] : [t.kind],
  );
  const columns = ['_bl_kind', '_bl_category', '_bl_y'].map(q);
  const joined = source.withClasses(perLine, columns);
  const y = q('_bl_y');
  const items = [q('_bl_kind'), q('_bl_category'), `count(*) AS ${q('_payers')}`, `sum(${y}) AS ${q('_revenue')}`, ...classes.flatMap((c, i) => classItems(ctx, c, `_l${i}`, y))];
  const rows = await scopeQuery<SqlRow>(
    ctx,
    scopeSelect(ctx, { items, join: `JOIN ${joined} AS ${q('_blx')} USING (${q('customer_id')})`, where: source.where, groupBy: [q('_bl_kind'), q('_bl_category')] }),
    values,
  );
  return rows.map((row) => ({
    kind: String(row['_bl_kind']) as EarningKind,
    category: row['_bl_category'] === null || row['_bl_category'] === undefined ? null : String(row['_bl_category']),
    payers: numberOf(row['_payers']) ?? 0,
    revenue: numberOf(row['_revenue']) ?? 0,
    classes: classes.map((c, i) => lineSumsOf(row, c, `_l${i}`)),
  }));
}
