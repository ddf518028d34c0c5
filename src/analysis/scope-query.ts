import type { Row } from '../engine/types.js';
import type { SqlValues } from './sql-values.js';
import type { AnalysisContext } from './types.js';

/** Runs an analysis query with the scope's parameters (the segment rule) and those of the fragments it was built from. */
export function scopeQuery<R extends Row = Row>(ctx: Pick<AnalysisContext, 'engine' | 'scope' | 'signal'>, sql: string, ...values: SqlValues[]): Promise<R[]> {
  const params = Object.assign({}, ctx.scope.params, ...values.map((v) => v.params)) as Record<string, never>;
  return ctx.engine.query<R>(sql, params, ctx.signal === undefined ? {} : { signal: ctx.signal });
}
