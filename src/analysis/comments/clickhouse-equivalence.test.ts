import { describe, expect } from 'vitest';
import { companyOnBothEngines, EQUIVALENCE_CASES } from '../engine-fixtures.case.js';
import { resultRows } from '../result-rows.case.js';
import { resultDifferences } from '../same-result.case.js';

// comments on DuckDB and on the 2-shard ClickHouse cluster, from the same
// tables (a simulated company of 2,000 customers, imported on DuckDB and
// copied to the cluster, rows on the shard of their customer). The Results
// must agree field by field: counts exact, doubles to 1e-9. Each engine
// streams the comments joined to their responses' NPS and CSAT answers on
// each shard; the order is set in TypeScript, so sentiment, themes and
// intervals are computed on the same comments in the same order.

const { itCluster, fixture, run: comments } = companyOnBothEngines('comments', 'comments');

describe('comments on DuckDB and on the 2-shard ClickHouse cluster, from the same tables', () => {
  for (const [what, filter] of EQUIVALENCE_CASES) {
    itCluster(`${what}: the same Result`, async () => {
      const onDuck = await comments('duck', filter);
      const onHouse = await comments('house', filter);
      expect(resultDifferences(onDuck, onHouse, fixture().config.currency)).toEqual([]);
      // Not vacuous: comments in three languages, themes compared on NPS, a trend.
      expect(resultRows(onHouse, 'comment_languages').map((r) => String(r['language'])).sort()).toEqual(['en', 'es', 'fr']);
      expect(resultRows(onHouse, 'comment_themes').filter((r) => typeof r['nps_difference'] === 'number').length).toBeGreaterThanOrEqual(5);
      expect(resultRows(onHouse, 'comment_sentiment_trend').length).toBeGreaterThan(3);
    });
  }
});
