import type { Engine, SqlParams, SqlValue } from '../engine/types.js';

/**
 * Turns values into SQL text for analysis queries: a bound `$name` where the
 * engine binds values, else the dialect's one audited literal escaper. Names
 * carry a prefix so that fragments built apart (the segment rule, a query)
 * can share one parameter object without clashing.
 *
 * @example
 * const v = new SqlValues(engine, 'p');
 * const sql = `SELECT count(*) FROM t WHERE kind = ${v.bind('fee')}`;
 * await engine.query(sql, { ...scope.params, ...v.params });
 */
export class SqlValues {
  readonly params: SqlParams = {};
  private readonly names = new Map<string, string>();

  constructor(
    private readonly engine: Pick<Engine, 'dialect' | 'capabilities'>,
    private readonly prefix: string,
  ) {
    if (!/^[a-z][a-z0-9]*$/.test(prefix)) throw new TypeError(`Bad parameter prefix ${prefix}`);
  }

  bind(value: SqlValue): string {
    if (value === null) return 'NULL';
    if (!this.engine.capabilities.boundParameters) return this.engine.dialect.literal(value);
    const key = value instanceof Date ? `date:${value.toISOString()}` : `${typeof value}:${String(value)}`;
    let name = this.names.get(key);
    if (name === undefined) {
      name = `${this.prefix}_${this.names.size}`;
      this.names.set(key, name);
      this.params[name] = value;
    }
    return `$${name}`;
  }
}

/** A number from an engine value: bigint counts, DECIMAL strings, doubles; null stays null. */
export function numberOf(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  if (typeof value === 'boolean') return value ? 1 : 0;
  return null;
}

/** A number that must be there (counts, sums over non-empty groups). */
export function requiredNumber(value: unknown, what: string): number {
  const n = numberOf(value);
  if (n === null || !Number.isFinite(n)) throw new Error(`expected a number for ${what}, got ${String(value)}`);
  return n;
}
