import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { itNeeds } from '../../../test/helpers/strict.js';
import { CLICKHOUSE_INSTALL_HINT, clickhouseInstalled, leaseCluster, releaseCluster } from '../../engine/clickhouse/test-cluster.js';
import type { Engine } from '../../engine/types.js';
import { EngineFixtures, EQUIVALENCE_CASES, simulatedWorkspace, type EngineFixture } from '../engine-fixtures.case.js';
import { resultRows } from '../result-rows.case.js';
import type { Result } from '../result.js';
import { runAnalyses } from '../run-analyses.js';
import { resultDifferences } from '../same-result.case.js';
import type { AnalysisFilter } from '../types.js';
import type { ChangeDefinition } from './change.js';
import { changesAnalysisFor } from './index.js';

// changes on DuckDB and on the 2-shard ClickHouse cluster, from the same
// tables (a simulated company of 2,000 customers, imported on DuckDB and
// copied to the cluster, rows on the shard of their customer), for three
// changes (the planted North intervention; the same against a named
// comparison group with its own windows; one touching every customer) and
// the simulator's A/B test. The Results must agree field by field: counts
// exact, doubles to 1e-9 (every estimate is a ratio of double sums, the
// money ones included, so all findings are compared to 1e-9). Each engine's
// time is printed.

const CHANGES: ChangeDefinition[] = [
  { name: 'North network upgrade', date: '2025-10-01', segment: "region = 'North'" },
  { name: 'North against South', date: '2025-10-01', segment: "region = 'North'", compare: "region = 'South'", before_months: 9, after_months: 4 },
  { name: 'New invoices', date: '2025-06-01' },
];

const EXPERIMENT_YAML = `
experiments:
  retention_outreach: {label: Proactive retention outreach, attribute: experiment_group, control: control, treatment: treatment}
`;

const installed = clickhouseInstalled();
const itCluster = itNeeds(installed, 'clickhouse-server', CLICKHOUSE_INSTALL_HINT);
const fixtures = new EngineFixtures('cxray_changes_equivalence');
const timings: string[] = [];

if (installed) {
  beforeAll(async () => {
    leaseCluster();
    const dir = await simulatedWorkspace('changes-ch');
    appendFileSync(join(dir, 'cxray.yaml'), EXPERIMENT_YAML);
    await fixtures.add('company', dir);
  }, 300_000);
  afterAll(async () => {
    process.stderr.write(`changes timings:\n${timings.map((t) => `  ${t}`).join('\n')}\n`);
    await fixtures.close();
    releaseCluster();
  }, 120_000);
}

async function changesOn(f: EngineFixture, engine: Engine, label: string, filter: AnalysisFilter): Promise<Result> {
  const started = Date.now();
  const out = await runAnalyses(
    { workspace: f.dir, engine, ledger: f.ledger, config: f.config, configHash: f.configHash, resultsDir: null, snapshotsDir: null, analyses: [changesAnalysisFor(CHANGES)] },
    { names: ['changes'], filter },
  );
  timings.push(`${label} ${JSON.stringify(filter)}: ${Date.now() - started} ms`);
  const result = out.results.find((r) => r.name === 'changes');
  if (result === undefined) throw new Error('no changes result');
  expect([result.status, result.reason]).toEqual(['ok', undefined]);
  return result;
}

describe('changes on DuckDB and on the 2-shard ClickHouse cluster, from the same tables', () => {
  for (const [what, filter] of EQUIVALENCE_CASES) {
    itCluster(`${what}: the same Result`, async () => {
      const f = fixtures.get('company');
      const onDuck = await changesOn(f, f.duck.engine, 'DuckDB', filter);
      const onHouse = await changesOn(f, f.house, 'ClickHouse', filter);
      expect(resultDifferences(onDuck, onHouse, f.config.currency, (code) => code.startsWith('changes.'))).toEqual([]);
      // Not vacuous: every change measured on NPS, churn and money, the experiment read out.
      const effects = resultRows(onHouse, 'change_effects');
      for (const change of CHANGES) {
        for (const measure of ['nps', 'churn', 'revenue']) {
          expect(typeof effects.find((r) => r['change'] === change.name && r['measure'] === measure)?.['effect'], `${change.name} ${measure}`).toBe('number');
        }
      }
      expect(resultRows(onHouse, 'change_nps_by_month').length).toBeGreaterThan(12);
      expect(resultRows(onHouse, 'experiment_effects').find((r) => r['measure'] === 'churn')?.['unit']).toBe('hazard_ratio');
    });
  }
});
