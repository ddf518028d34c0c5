import { describe, expect } from 'vitest';
import { companyOnBothEngines, EQUIVALENCE_CASES } from '../engine-fixtures.case.js';
import { resultRows } from '../result-rows.case.js';
import { resultDifferences } from '../same-result.case.js';

// value-balance on DuckDB and on the 2-shard ClickHouse cluster, from the
// same tables (a simulated company of 2,000 customers, imported on DuckDB and
// copied to the cluster, rows on the shard of their customer). The Results
// must agree field by field: counts exact, doubles to 1e-9. Every money
// figure here comes out of the fitted line (DOUBLE sums of residuals), so
// the findings' estimates are compared to 1e-9 too. The value map reads the
// "Price and value" ratings and the behaviour events through one
// per-customer UNION ALL on each shard; the period adds the payments in it.

const { itCluster, fixture, run: valueBalance } = companyOnBothEngines('value-balance', 'value-balance');

describe('value-balance on DuckDB and on the 2-shard ClickHouse cluster, from the same tables', () => {
  for (const [what, filter] of EQUIVALENCE_CASES) {
    itCluster(`${what}: the same Result`, async () => {
      const onDuck = await valueBalance('duck', filter);
      const onHouse = await valueBalance('house', filter);
      expect(resultDifferences(onDuck, onHouse, fixture().config.currency, (code) => code.startsWith('value_balance.'))).toEqual([]);
      // Not vacuous: the ratings of price and value and usage both on the map, and a score of segments compared.
      expect(resultRows(onHouse, 'value_balance_line').map((r) => r['term'])).toEqual(['intercept', 'satisfaction', 'usage']);
      expect(onHouse.summary[0]).toMatch(/^Value delivered is measured by satisfaction with price and value \(ratings of "Price and value"\) on 0-100 and usage/);
      expect(resultRows(onHouse, 'value_balance_segments').filter((r) => r['q_value'] !== null).length).toBeGreaterThanOrEqual(12);
    });
  }
});
