import type { Row, RowValue } from '../engine/types.js';
import { CUSTOMER_FACTS_TABLE } from '../facts/index.js';
import { keptAnswer, scopeParams, scopeQuery, scopeSelect } from './scope-query.js';
import type { SqlValues } from './sql-values.js';
import type { AnalysisContext } from './types.js';

/** A value computed once per customer row, from customer_facts columns and earlier values (`ref`). */
export interface RowValueDef {
  name: string;
  sql: (ref: (name: string) => string) => string;
}

/**
 * One aggregate statement over the customers in scope whose items use
 * per-row values (a regression's columns, its fitted value, weights) many
 * times over: hundreds of cross-products each naming the same few values.
 *
 * How each engine evaluates a value once:
 * - one server (DuckDB): each value is a column of a nested SELECT over
 *   customer_facts, so it is computed once per row and the aggregates read it
 *   (DuckDB does not merge repeated expressions inside aggregates; inlined,
 *   a logistic step's 351 cross-products recomputed the linear predictor
 *   each time, 20 times slower);
 * - a cluster (`capabilities.distributed`): the statement reads
 *   customer_facts directly, as scopeSelect does, so each shard aggregates
 *   its own customers (a nested SELECT would ship every row to the entry
 *   server); the values are named once by `WITH <expression> AS name` where
 *   the engine has it (`capabilities.expressionAliases`: the statement stays
 *   small, and each distinct expression is computed once per block), else
 *   inlined.
 *
 * `complete`: the WHERE keeps only rows where every value is known (a
 * regression's complete cases), so the values are typed not nullable
 * (dialect.assumeNotNull), which halves a fit's time on ClickHouse.
 */
export function rowAggregateSelect(
  ctx: AnalysisContext,
  defs: readonly RowValueDef[],
  where: readonly string[],
  items: (ref: (name: string) => string) => string[],
  options: { complete?: boolean } = {},
): string {
  const d = ctx.engine.dialect;
  const byName = new Map(defs.map((def) => [def.name, def]));
  if (ctx.engine.capabilities.distributed && ctx.engine.capabilities.expressionAliases === true) {
    const named = (name: string): string => {
      if (!byName.has(name)) throw new Error(`no row value ${name}`);
      return d.quoteIdent(`_r_${name}`);
    };
    const value = (def: RowValueDef): string => (options.complete === true ? d.assumeNotNull(def.sql(named)) : def.sql(named));
    return `WITH ${defs.map((def) => `${value(def)} AS ${named(def.name)}`).join(', ')} ${scopeSelect(ctx, { items: items(named), where })}`;
  }
  if (ctx.engine.capabilities.distributed) {
    const inline = (name: string): string => {
      const def = byName.get(name);
      if (def === undefined) throw new Error(`no row value ${name}`);
      return `(${def.sql(inline)})`;
    };
    return scopeSelect(ctx, { items: items(inline), where });
  }
  const column = (name: string): string => {
    if (!byName.has(name)) throw new Error(`no row value ${name}`);
    return d.quoteIdent(`_r_${name}`);
  };
  // Values that use no other value share the first level; each later level adds those whose inputs exist.
  const depth = new Map<string, number>();
  for (const def of defs) {
    let level = 0;
    def.sql((name) => {
      const at = depth.get(name);
      if (at === undefined) throw new Error(`row value ${def.name} uses ${name}, which is not defined before it`);
      level = Math.max(level, at + 1);
      return name;
    });
    depth.set(def.name, level);
  }
  let from = `(${scopeSelect(ctx, { items: ['*'], where })})`;
  const levels = Math.max(-1, ...depth.values()) + 1;
  for (let level = 0; level < levels; level += 1) {
    const added = defs.filter((def) => depth.get(def.name) === level).map((def) => `${def.sql(column)} AS ${column(def.name)}`);
    from = `(SELECT *, ${added.join(', ')} FROM ${from} AS ${d.quoteIdent(`_l${level}`)})`;
  }
  return `SELECT ${items(column).join(', ')} FROM ${from} AS ${d.quoteIdent('_rows')}`;
}

/** An item rowSums can add over shards: a count, a sum or an array of sums (sumOfProducts), nothing else. */
const ADDITIVE_ITEM = /^(count|sum|sumForEach)\(/;

/**
 * The one row of a rowAggregateSelect whose items are all counts and sums
 * (a fit's cross-products, a bootstrap's influence sums). On a cluster whose
 * engine answers on each shard (`queryOnEachShard`), every shard sums its
 * own customers from its own part of customer_facts and the sums are added
 * here: the Distributed table's rewrite of such a statement for the shards
 * (hundreds of aggregates over named expressions) cost ~0.4 s a statement on
 * ClickHouse 18.16, against ~0.08 s for each shard's own answer, and a fit
 * asks dozens. Exact for counts; sums of doubles differ from one server's
 * only by the order of addition. Asked once per analyze run, as scopeQuery.
 */
export async function rowSums(
  ctx: AnalysisContext,
  defs: readonly RowValueDef[],
  where: readonly string[],
  items: (ref: (name: string) => string) => string[],
  values: SqlValues,
  options: { complete?: boolean } = {},
): Promise<Row> {
  const engine = ctx.engine;
  // The scope reads customer_facts, perhaps with a per-customer join (perCustomerJoin: already shard-local); a shard reads its own part.
  const facts = engine.dialect.quoteIdent(CUSTOMER_FACTS_TABLE);
  const table = ctx.scope.table;
  if (!engine.capabilities.distributed || engine.queryOnEachShard === undefined || !(table === facts || table.startsWith(`${facts} `))) {
    const [row] = await scopeQuery(ctx, rowAggregateSelect(ctx, defs, where, items, options), values);
    if (row === undefined) throw new Error('an aggregate statement returned no row');
    return row;
  }
  const onShard = { ...ctx, scope: { ...ctx.scope, table: `${engine.dialect.shardLocalTable(CUSTOMER_FACTS_TABLE)}${table.slice(facts.length)}` } };
  const checked = (ref: (name: string) => string): string[] => {
    const list = items(ref);
    const bad = list.find((item) => !ADDITIVE_ITEM.test(item));
    if (bad !== undefined) throw new TypeError(`rowSums adds counts and sums over shards; ${bad.slice(0, 60)} is neither`);
    return list;
  };
  const sql = rowAggregateSelect(onShard, defs, where, checked, options);
  const params = scopeParams(ctx, [values]);
  const run = engine.queryOnEachShard.bind(engine);
  const [row] = await keptAnswer(ctx, `each shard: ${sql}`, params, async () => [addRows(await run(sql, params, ctx.signal === undefined ? {} : { signal: ctx.signal }))]);
  if (row === undefined) throw new Error('an aggregate statement returned no row');
  return row;
}

/** Each shard's one row of counts and sums, added column by column (NULL, a sum over no known value, adds nothing). */
function addRows(answers: readonly Row[][]): Row {
  const total: Record<string, RowValue> = {};
  for (const rows of answers) {
    if (rows.length !== 1) throw new Error(`a shard answered an aggregate statement with ${rows.length} rows`);
    for (const [name, value] of Object.entries(rows[0] as Row)) total[name] = add(total[name] ?? null, value, name);
  }
  return total;
}

function add(a: RowValue, b: RowValue, name: string): RowValue {
  if (a === null) return b;
  if (b === null) return a;
  if (Array.isArray(a) && Array.isArray(b)) {
    // sumForEach over no rows is []: a shard without customers in scope adds nothing.
    if (a.length === 0 || b.length === 0) return a.length === 0 ? b : a;
    if (a.length !== b.length) throw new TypeError(`rowSums adds arrays of one length; ${name} had ${a.length} and ${b.length}`);
    return a.map((v, k) => add(v, b[k] ?? null, `${name}[${k}]`));
  }
  if (typeof a === 'bigint' && typeof b === 'bigint') return a + b;
  if ((typeof a === 'number' || typeof a === 'bigint') && (typeof b === 'number' || typeof b === 'bigint')) return Number(a) + Number(b);
  throw new TypeError(`rowSums adds numbers; ${name} was ${typeof a} and ${typeof b}`);
}
