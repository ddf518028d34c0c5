import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../config/schema.js';
import { DuckDbEngine } from '../engine/duckdb/engine.js';
import type { Engine, SqlParams } from '../engine/types.js';
import { canonicalTable } from './canonical-fixture.case.js';
import { AS_OF, config, loadCompany } from './hand-built-company.case.js';
import { buildCustomerFacts, planCustomerFacts } from './index.js';
import { ValueBinder } from './value-binder.js';

/**
 * The same DuckDB, declared unable to bind values: facts must then render every
 * value with dialect.literal, and passing any parameter is an error here.
 */
function literalOnly(engine: DuckDbEngine): Engine {
  const capabilities = { ...engine.capabilities, boundParameters: false };
  const noParams = (params: SqlParams | undefined): void => {
    if (params !== undefined && Object.keys(params).length > 0) throw new Error(`parameters passed to a literal-only engine: ${Object.keys(params).join(', ')}`);
  };
  return {
    displayName: 'DuckDB (literals)',
    dialect: engine.dialect,
    capabilities,
    query: (sql, params, options) => (noParams(params), engine.query(sql, undefined, options)),
    exec: (sql, params, options) => (noParams(params), engine.exec(sql, undefined, options)),
    stream: (sql, params, options) => (noParams(params), engine.stream(sql, undefined, options)),
    describe: (table) => engine.describe(table),
    hasTable: (table) => engine.hasTable(table),
    insertRows: (table, columns, rows) => engine.insertRows(table, columns, rows),
    close: () => engine.close(),
  };
}

const HOSTILE = `O'Brien "fee"; DROP TABLE customers; -- $v0`;
const hostileConfig = configSchema.parse({
  fees: { [HOSTILE]: {}, 'o brien': {}, "O'Brien": {} },
  behaviours: { quoted: { event: `it's "on" $v1` } },
  sources: {},
});

let engine: DuckDbEngine;

beforeAll(async () => {
  engine = await DuckDbEngine.open(':memory:');
});

afterAll(async () => {
  await engine.close();
});

describe('values in facts SQL', () => {
  it('binds values as parameters when the engine can, and shares equal ones', () => {
    const values = new ValueBinder(engine);
    expect(values.bind('fee')).toBe('$v0');
    expect(values.bind(new Date('2024-01-01T00:00:00Z'))).toBe('$v1');
    expect(values.bind('fee')).toBe('$v0');
    expect(values.bind(null)).toBe('NULL');
    expect(values.params).toEqual({ v0: 'fee', v1: new Date('2024-01-01T00:00:00Z') });
    const literal = new ValueBinder(literalOnly(engine));
    expect(literal.bind("it's")).toBe(engine.dialect.literal("it's"));
    expect(literal.params).toEqual({});
  });

  it('gives the same facts whether values are bound or rendered as literals', async () => {
    await loadCompany(engine);
    const bound = await planCustomerFacts(engine, { asOf: AS_OF, config });
    expect(Object.keys(bound.params).length).toBeGreaterThan(10);
    await buildCustomerFacts(engine, { asOf: AS_OF, config });
    const viaParams = await engine.query('SELECT * FROM customer_facts ORDER BY customer_id');

    const literal = await planCustomerFacts(literalOnly(engine), { asOf: AS_OF, config });
    expect(literal.params).toEqual({});
    expect(literal.select).not.toMatch(/\$v\d/);
    await buildCustomerFacts(literalOnly(engine), { asOf: AS_OF, config });
    const viaLiterals = await engine.query('SELECT * FROM customer_facts ORDER BY customer_id');
    expect(viaLiterals).toEqual(viaParams);
    expect(viaLiterals).toHaveLength(5);
  });

  for (const mode of ['bound', 'literal'] as const) {
    it(`keeps hostile config text as data (${mode})`, async () => {
      await engine.exec('DROP TABLE IF EXISTS customers; DROP TABLE IF EXISTS transactions; DROP TABLE IF EXISTS behaviour_events');
      await canonicalTable(engine, 'customers', [{ customer_id: 'x' }, { customer_id: "y'); DROP TABLE customers; --" }]);
      const fee = (category: string, amount: string) => ({
        customer_id: 'x',
        at: '2024-01-01 00:00:00',
        kind: 'fee',
        amount,
        category,
        currency: 'USD',
        original_amount: amount,
        original_currency: 'USD',
      });
      await canonicalTable(engine, 'transactions', [fee(HOSTILE, '2.50'), fee("O'Brien", '1.00'), fee('o brien', '0.25'), fee('O', '4.00')]);
      await canonicalTable(engine, 'behaviour_events', [{ customer_id: 'x', at: '2024-01-02 00:00:00', behaviour: `it's "on" $v1` }]);
      const target = mode === 'bound' ? engine : literalOnly(engine);
      const summary = await buildCustomerFacts(target, { asOf: '2024-01-31', config: hostileConfig });
      expect(summary.rows).toBe(2);
      // By code units "O'Brien" < "O'Brien \"fee\"..." < "o brien": the last one's name collides with the first's.
      const hostileName = 'fee_o_brien_fee_drop_table_customers_v0';
      expect(summary.columns.filter((c) => c.name.startsWith('fee_')).map((c) => c.name)).toEqual(['fee_o_brien', hostileName, 'fee_o_brien_2']);
      const rows = await engine.query(`SELECT customer_id, fees, fee_o_brien, ${hostileName}, fee_o_brien_2, adopted_quoted FROM customer_facts ORDER BY customer_id`);
      expect(rows).toEqual([
        { customer_id: 'x', fees: '7.7500', fee_o_brien: '1.0000', [hostileName]: '2.5000', fee_o_brien_2: '0.2500', adopted_quoted: true },
        { customer_id: "y'); DROP TABLE customers; --", fees: '0.0000', fee_o_brien: '0.0000', [hostileName]: '0.0000', fee_o_brien_2: '0.0000', adopted_quoted: false },
      ]);
    });
  }
});
