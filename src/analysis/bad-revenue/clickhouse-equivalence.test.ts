import { describe, expect } from 'vitest';
import { companyOnBothEngines, EQUIVALENCE_CASES } from '../engine-fixtures.case.js';
import { resultRows } from '../result-rows.case.js';
import { resultDifferences } from '../same-result.case.js';

// bad-revenue on DuckDB and on the 2-shard ClickHouse cluster, from the same
// tables (a simulated company of 2,000 customers, imported on DuckDB and
// copied to the cluster, rows on the shard of their customer). The Results
// must agree field by field: counts and money exact, doubles (second moments,
// ratios, intervals) to 1e-9. The period runs the per-customer UNION ALL of
// payments and latest answers by the period's end on each shard.

const { itCluster, fixture, run: badRevenue } = companyOnBothEngines('bad-revenue', 'bad-revenue');

describe('bad-revenue on DuckDB and on the 2-shard ClickHouse cluster, from the same tables', () => {
  for (const [what, filter] of EQUIVALENCE_CASES) {
    itCluster(`${what}: the same Result`, async () => {
      const onDuck = await badRevenue('duck', filter);
      const onHouse = await badRevenue('house', filter);
      expect(resultDifferences(onDuck, onHouse, fixture().config.currency)).toEqual([]);
      // Not vacuous: every fee line and both products compared, in the three classes.
      const rows = resultRows(onHouse, 'bad_revenue_detractors');
      expect(rows.filter((r) => typeof r['ratio'] === 'number').map((r) => r['key'])).toEqual(expect.arrayContaining(['fee:overage_fee', 'fee:late_fee', 'fee:paper_bill_fee', 'purchase:subscription']));
      expect(onHouse.tables.map((t) => t.name)).toEqual(['bad_revenue_detractors', 'bad_revenue_low_csat', 'bad_revenue_churned', 'bad_revenue_coverage']);
    });
  }
});
