import type { Engine, SqlParams, SqlValue } from '../engine/types.js';

/**
 * The one place facts SQL turns a value into SQL text: a bound `$name`
 * parameter where the engine binds values, else the dialect's audited
 * literal escaper. Equal values share one parameter.
 *
 * @example
 * const values = new ValueBinder(engine);
 * const sql = `SELECT count(*) FROM t WHERE kind = ${values.bind('fee')}`;
 * await engine.query(sql, values.params);
 */
export class ValueBinder {
  readonly params: SqlParams = {};
  private readonly names = new Map<string, string>();

  constructor(private readonly engine: Pick<Engine, 'dialect' | 'capabilities'>) {}

  bind(value: SqlValue): string {
    if (value === null) return 'NULL';
    if (!this.engine.capabilities.boundParameters) return this.engine.dialect.literal(value);
    const key = keyOf(value);
    let name = this.names.get(key);
    if (name === undefined) {
      name = `v${this.names.size}`;
      this.names.set(key, name);
      this.params[name] = value;
    }
    return `$${name}`;
  }
}

function keyOf(value: Exclude<SqlValue, null>): string {
  if (value instanceof Date) return `date:${value.toISOString()}`;
  return `${typeof value}:${String(value)}`;
}
