import { describe, expect } from 'vitest';
import { companyOnBothEngines, EQUIVALENCE_CASES } from '../engine-fixtures.case.js';
import { resultRows } from '../result-rows.case.js';
import { resultDifferences } from '../same-result.case.js';

// The scorecard on DuckDB and on the 2-shard ClickHouse cluster, from the
// same tables (a simulated company of 2,000 customers, imported on DuckDB and
// copied to the cluster, rows on the shard of their customer). The Results
// must agree field by field: counts exact, doubles to 1e-9, sentences and
// statuses identical. Every interval rests on sums per bootstrap block of
// customers (the portable hash, the same on both engines); the ratings and
// day numbers are integers, so those sums are exact on both.

const { itCluster, run: scorecard } = companyOnBothEngines('scorecard', 'scorecard');

describe('the scorecard on DuckDB and on the 2-shard ClickHouse cluster, from the same tables', () => {
  for (const [what, filter] of EQUIVALENCE_CASES) {
    itCluster(`${what}: the same Result`, async () => {
      const onDuck = await scorecard('duck', filter);
      const onHouse = await scorecard('house', filter);
      expect(resultDifferences(onDuck, onHouse, 'USD')).toEqual([]);
      // Not vacuous: eight areas scored and rated, contact touchpoints measured, NPS followed over time.
      expect(resultRows(onHouse, 'scorecard_areas').filter((r) => typeof r['status'] === 'string')).toHaveLength(8);
      expect(resultRows(onHouse, 'scorecard_touchpoints').filter((r) => r['kind'] === 'channel').length).toBeGreaterThan(6);
      expect(resultRows(onHouse, 'satisfaction_over_time').filter((r) => r['instrument'] === 'nps').length).toBeGreaterThan(3);
    });
  }
});
