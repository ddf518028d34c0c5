import { scopeSelect } from './scope-query.js';
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
