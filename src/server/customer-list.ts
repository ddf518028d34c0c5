import { segmentCondition } from '../analysis/segment/index.js';
import { numberOf, SqlValues } from '../analysis/sql-values.js';
import type { Row, SqlParams } from '../engine/types.js';
import type { CustomerScores } from './customer-scores.js';
import type { HeldVersion } from './version-stores.js';

/** What a customer list can be sorted by. */
export const CUSTOMER_SORTS = ['id', 'netValue', 'fitScore', 'perfectCustomerIndex', 'lifetimeValue', 'pAlive', 'churnRisk'] as const;
export type CustomerSort = (typeof CUSTOMER_SORTS)[number];

export interface CustomerListRequest {
  segment?: string | undefined;
  q?: string | undefined;
  page: number;
  pageSize: number;
  sort: CustomerSort;
  order: 'asc' | 'desc';
}

/** One customer in a list: id, segment levels and scores (null where unknown). */
export interface CustomerRow {
  id: string;
  segments: Record<string, string | null>;
  netValue: number | null;
  fitScore: number | null;
  perfectCustomerIndex: number | null;
  lifetimeValue: number | null;
  pAlive: number | null;
  churnRisk: number | null;
  churned: boolean | null;
}

export interface CustomerPage {
  /** The segment rule in its normal form; null for every customer. */
  segment: string | null;
  total: number;
  customers: CustomerRow[];
}

const round = (value: number | null, digits: number | null): number | null => {
  if (value === null || !Number.isFinite(value)) return null;
  if (digits === null) return value;
  const f = 10 ** digits;
  return Math.round(value * f) / f;
};

/** A customer's scores and segments from a row of the scores relation (aliases `_x_*`). */
export function customerRow(row: Row, scores: CustomerScores): CustomerRow {
  const out: CustomerRow = { id: String(row['_x_id']), segments: {}, netValue: round(numberOf(row['_x_nv']), 2), fitScore: null, perfectCustomerIndex: null, lifetimeValue: null, pAlive: null, churnRisk: null, churned: null };
  for (const s of scores.segments) {
    const v = row[s.alias];
    out.segments[s.key] = v === null || v === undefined ? null : String(v);
  }
  for (const c of scores.scores) {
    const v = numberOf(row[c.alias]);
    if (c.name === 'churned') out.churned = v === null ? null : v === 1;
    else (out as unknown as Record<string, number | null>)[c.name] = round(v, c.digits);
  }
  return out;
}

/** The relation's alias for a sort key; `id` sorts by the customer id. */
function sortAlias(sort: CustomerSort, scores: CustomerScores): string {
  if (sort === 'id') return '_x_id';
  if (sort === 'netValue') return '_x_nv';
  return scores.scores.find((c) => c.name === sort)?.alias ?? '_x_id';
}

/**
 * One page of customers: those the segment rule and the id search select,
 * in a stable order (the sort key, unknown values last, then the id), with
 * the total. The rule goes through the parser and compiler the analyses use
 * (values bound, columns checked against customer_facts); the search is a
 * bound parameter.
 */
export async function listCustomers(held: HeldVersion, scores: CustomerScores, request: CustomerListRequest): Promise<CustomerPage> {
  const engine = held.engine;
  const d = engine.dialect;
  const q = d.quoteIdent;
  const values = new SqlValues(engine, 'api');
  const where: string[] = [];
  let params: SqlParams = {};
  let rule: string | null = null;
  if (request.segment !== undefined) {
    const condition = segmentCondition(request.segment, scores.ctx.facts.columns, engine);
    where.push(condition.sql);
    params = { ...condition.params };
    rule = condition.rule;
  }
  // Both sides lowered by the engine, so "case aside" is one rule for the id and the search.
  const search = (id: string): string => d.contains(d.lower(id), d.lower(values.bind(request.q ?? '')));
  const key = `${q('_sc')}.${q(sortAlias(request.sort, scores))}`;
  const direction = request.order === 'desc' ? 'DESC' : 'ASC';
  const order = request.sort === 'id' ? `${key} ${direction}` : `${key} ${direction} NULLS LAST, ${q('_sc')}.${q('_x_id')} ASC`;
  const offset = (request.page - 1) * request.pageSize;
  const page = `ORDER BY ${order} LIMIT ${request.pageSize} OFFSET ${offset}`;
  if (where.length === 0 && scores.selecting === undefined) {
    // No segment rule: the scores table alone (its _x_id is the id as text), without joining a
    // million customer_facts rows to it for every page.
    const condition = request.q === undefined ? '1 = 1' : search(`${q('_sc')}.${q('_x_id')}`);
    const [counted] = await engine.query(`SELECT count(*) AS ${q('_n')} FROM ${scores.relation} AS ${q('_sc')} WHERE ${condition}`, { ...values.params, ...scores.params });
    const total = numberOf(counted?.['_n']) ?? 0;
    if (offset >= total) return { segment: rule, total, customers: [] };
    const rows = await engine.query(`SELECT ${q('_sc')}.* FROM ${scores.relation} AS ${q('_sc')} WHERE ${condition} ${page}`, { ...values.params, ...scores.params });
    return { segment: rule, total, customers: rows.map((r) => customerRow(r, scores)) };
  }
  if (request.q !== undefined) where.push(search(d.toString(q('customer_id'))));
  const condition = where.length === 0 ? '1 = 1' : where.join(' AND ');
  const all = { ...params, ...values.params, ...scores.params };
  const [counted] = await engine.query(`SELECT count(*) AS ${q('_n')} FROM ${scores.ctx.scope.table} WHERE ${condition}`, { ...params, ...values.params });
  const total = numberOf(counted?.['_n']) ?? 0;
  if (offset >= total) return { segment: rule, total, customers: [] };
  const sql =
    scores.selecting === undefined
      ? `SELECT ${q('_sc')}.* FROM ${scores.ctx.scope.table} JOIN ${scores.relation} AS ${q('_sc')} ON ${q('_sc')}.${q('_x_id')} = ${d.toString(q('customer_id'))} WHERE ${condition} ${page}`
      : `SELECT * FROM ${scores.selecting(condition)} AS ${q('_sc')} ${page}`;
  const rows = await engine.query(sql, all);
  return { segment: rule, total, customers: rows.map((r) => customerRow(r, scores)) };
}
