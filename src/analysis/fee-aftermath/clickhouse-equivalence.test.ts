import { describe, expect } from 'vitest';
import { companyOnBothEngines, EQUIVALENCE_CASES } from '../engine-fixtures.case.js';
import { resultRows } from '../result-rows.case.js';
import { resultDifferences } from '../same-result.case.js';

// fee-aftermath (and the bad-revenue it reads) on DuckDB and on the 2-shard
// ClickHouse cluster, from the same tables (a simulated company of 2,000
// customers, copied to the cluster with rows on the shard of their customer).
// Each shard builds its own customers' eligible weeks (a CROSS JOIN with a
// week spine), their first fees, first-90-day purchases and window answers
// from its own rows; only the risk sets' sums travel. The Results must agree
// field by field: counts exact, doubles to 1e-9.

const { itCluster, fixture, run: feeAftermath } = companyOnBothEngines('fee-aftermath', 'fee-aftermath');

describe('fee-aftermath on DuckDB and on the 2-shard ClickHouse cluster, from the same tables', () => {
  for (const [what, filter] of EQUIVALENCE_CASES) {
    itCluster(`${what}: the same Result`, async () => {
      const onDuck = await feeAftermath('duck', filter);
      const onHouse = await feeAftermath('house', filter);
      expect(resultDifferences(onDuck, onHouse, fixture().config.currency)).toEqual([]);
      // Not vacuous: every fee line compared on churn, and most on satisfaction (a segment or a year of 2,000 customers leaves few answers after some fees).
      const compared = resultRows(onHouse, 'fee_aftermath').filter((r) => typeof r['difference'] === 'number');
      expect(compared.filter((r) => r['outcome'] === 'churn').map((r) => r['line']).sort()).toEqual(['Late fee', 'Overage fee', 'Paper bill fee']);
      expect(compared.filter((r) => r['outcome'] === 'satisfaction').length).toBeGreaterThanOrEqual(2);
      expect(compared.map((r) => r['control_weeks'] as number).every((n) => n > 100), JSON.stringify(compared.map((r) => [r['line'], r['outcome'], r['control_weeks']]))).toBe(true);
    });
  }
});
