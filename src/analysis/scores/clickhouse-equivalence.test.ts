import { appendFileSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { itNeeds } from '../../../test/helpers/strict.js';
import { ClickHouseEngine } from '../../engine/clickhouse/engine.js';
import { CLICKHOUSE_INSTALL_HINT, clickhouseInstalled, clusterOptions, dropClusterDatabases, leaseCluster, releaseCluster } from '../../engine/clickhouse/test-cluster.js';
import { copyTable } from '../../engine/copy-table.js';
import { DuckDbEngine } from '../../engine/duckdb/engine.js';
import type { Engine } from '../../engine/types.js';
import { CUSTOMER_FACTS_TABLE } from '../../facts/index.js';
import { initWorkspace } from '../../init/index.js';
import { CANONICAL_TABLE_NAMES } from '../../model/tables.js';
import { companyCostsYaml, simulateCompany } from '../../simulate/index.js';
import { Workspace, type OpenStore } from '../../workspace/workspace.js';
import { scoreProspects } from '../prospects/score-prospects.js';
import { exportScores } from './export-scores.js';
import type { ScoringInputs } from './scoring-context.js';

// export scores and score-prospects on DuckDB and on the 2-shard ClickHouse
// cluster, from the same tables (a simulated company of 2,000 customers
// imported on DuckDB, its tables copied to the cluster, where rows land on
// the shard of their customer). On DuckDB the store COPYs the file itself; on
// the cluster the rows are streamed into an in-memory DuckDB that writes it.
// The files must be the same, byte for byte: values are rounded to 2 or 4
// decimals by the same projection, so sums taken in another order on each
// shard do not show.

const installed = clickhouseInstalled();
const itCluster = itNeeds(installed, 'clickhouse-server', CLICKHOUSE_INSTALL_HINT);
const DATABASE = 'cxray_scores_equivalence';

let company: string;
let duck: OpenStore;
let house: ClickHouseEngine;
let inputs: (engine: Engine) => ScoringInputs;

if (installed) {
  beforeAll(async () => {
    leaseCluster();
    company = mkdtempSync(join(tmpdir(), 'cxray-scores-ch-company-'));
    await simulateCompany({ customers: 2000, seed: 7, outDir: join(company, 'exports') });
    const files = readdirSync(join(company, 'exports')).filter((f) => f.endsWith('.csv') && f !== 'prospects.csv').map((f) => join(company, 'exports', f));
    await initWorkspace({ dir: company, from: files, force: false });
    appendFileSync(join(company, 'cxray.yaml'), companyCostsYaml());
    const ws = new Workspace(company);
    const { ledger } = await ws.import();
    const { config, hash } = await ws.config();
    // Export scores writes its files from the store engine (COPY), into the run's temporary folder.
    duck = await ws.openStore(undefined, { folders: [tmpdir()] });
    await dropClusterDatabases(DATABASE);
    house = await ClickHouseEngine.open(clusterOptions(DATABASE));
    for (const table of [...CANONICAL_TABLE_NAMES, CUSTOMER_FACTS_TABLE]) if (await duck.engine.hasTable(table)) await copyTable(duck.engine, house, table);
    // Each engine keeps its own analysis results, so the perfect-customer and ideal-profile Results are computed once on each.
    const results = new Map<Engine, string>([
      [duck.engine, mkdtempSync(join(tmpdir(), 'cxray-scores-ch-duck-results-'))],
      [house, mkdtempSync(join(tmpdir(), 'cxray-scores-ch-house-results-'))],
    ]);
    inputs = (engine) => ({ workspace: company, engine, ledger, config, configHash: hash, resultsDir: results.get(engine) ?? null });
  }, 300_000);

  afterAll(async () => {
    await duck?.close();
    await house?.close();
    await dropClusterDatabases(DATABASE);
    releaseCluster();
  }, 120_000);
}

async function parquetRows(path: string): Promise<unknown[]> {
  const engine = await DuckDbEngine.open(':memory:');
  try {
    return await engine.query(`SELECT * FROM read_parquet('${path}')`);
  } finally {
    await engine.close();
  }
}

describe('export scores and score-prospects on DuckDB and on the 2-shard ClickHouse cluster, from the same tables', () => {
  itCluster('export scores: the same CSV and Parquet files, action lists included', { timeout: 300_000 }, async () => {
    const out = mkdtempSync(join(tmpdir(), 'cxray-scores-ch-out-'));
    for (const format of ['csv', 'parquet'] as const) {
      const onDuck = await exportScores(inputs(duck.engine), { out: join(out, `duck.${format}`) });
      const onHouse = await exportScores(inputs(house), { out: join(out, `house.${format}`) });
      expect(onHouse.customers).toBe(2000);
      expect(onHouse.customers).toBe(onDuck.customers);
      expect(onHouse.churnModel.method).toBe('retention_window');
      expect(onHouse.actions.customers).toBeGreaterThan(0);
      expect(onHouse.actions.customers).toBe(onDuck.actions.customers);
      if (format === 'csv') {
        expect(readFileSync(onHouse.out, 'utf8')).toBe(readFileSync(onDuck.out, 'utf8'));
        expect(readFileSync(onHouse.actions.file, 'utf8')).toBe(readFileSync(onDuck.actions.file, 'utf8'));
      } else {
        const rows = await parquetRows(onHouse.out);
        expect(rows).toHaveLength(2000);
        expect(rows).toEqual(await parquetRows(onDuck.out));
        expect(await parquetRows(onHouse.actions.file)).toEqual(await parquetRows(onDuck.actions.file));
      }
    }
    // With a segment: its customers only, the same on both.
    const a = await exportScores(inputs(duck.engine), { out: join(out, 'duck-north.csv'), segment: 'region = North' });
    const b = await exportScores(inputs(house), { out: join(out, 'house-north.csv'), segment: 'region = North' });
    expect(b.customers).toBeLessThan(2000);
    expect(readFileSync(b.out, 'utf8')).toBe(readFileSync(a.out, 'utf8'));
  });

  itCluster('score-prospects: the same scores, rules and held-out quality', { timeout: 300_000 }, async () => {
    const out = mkdtempSync(join(tmpdir(), 'cxray-prospects-ch-out-'));
    const file = join(company, 'exports', 'prospects.csv');
    const onDuck = await scoreProspects(inputs(duck.engine), { file, out: join(out, 'duck.csv') });
    const onHouse = await scoreProspects(inputs(house), { file, out: join(out, 'house.csv') });
    expect(onHouse.prospects.scored).toBe(onDuck.prospects.scored);
    expect(readFileSync(onHouse.out, 'utf8')).toBe(readFileSync(onDuck.out, 'utf8'));
    expect(onHouse.rules).toEqual(onDuck.rules);
    expect(onHouse.quality.lift.map((r) => r.captured)).toEqual(onDuck.quality.lift.map((r) => expect.closeTo(r.captured, 9) as number));
    expect(onHouse.quality.calibration.map((r) => r.customers)).toEqual(onDuck.quality.calibration.map((r) => r.customers));
  });
});
