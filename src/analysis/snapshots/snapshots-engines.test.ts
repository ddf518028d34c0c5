import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { itNeeds } from '../../../test/helpers/strict.js';
import { CLICKHOUSE_INSTALL_HINT, clickhouseInstalled, leaseCluster, releaseCluster } from '../../engine/clickhouse/test-cluster.js';
import { dropClickHouseVersions } from '../../workspace/store-engine.js';
import { Workspace } from '../../workspace/workspace.js';
import type { Result } from '../result.js';
import { RELATIVE_TOLERANCE } from '../same-result.case.js';
import { makeShop } from '../shop.case.js';

// The paired snapshot comparison on both stores: the same shop imported
// twice (the second time 4 customers gone, 4 new, 6 moved from referral to
// search) into the embedded store and into the 2-shard cluster, where the
// earlier version's customer_facts is joined GLOBAL. The changes found, their
// intervals and the pairing stated must agree.

const installed = clickhouseInstalled();
const itCluster = itNeeds(installed, 'clickhouse-server', CLICKHOUSE_INSTALL_HINT);
const stores: Workspace[] = [];
if (installed) {
  beforeAll(() => leaseCluster(), 180_000);
  afterAll(async () => {
    for (const ws of stores) {
      const store = await ws.storeEngine();
      if (store.kind === 'clickhouse') await dropClickHouseVersions(store).catch(() => undefined);
    }
    releaseCluster();
  }, 120_000);
}

function shift(dir: string): void {
  const file = join(dir, 'customers.csv');
  const [header, ...rows] = readFileSync(file, 'utf8').trim().split('\n');
  const kept = rows
    .filter((r) => !['1', '2', '3', '4'].includes(r.split(',')[0] ?? ''))
    .map((r) => {
      const id = Number(r.split(',')[0]);
      return id >= 5 && id <= 12 && r.includes(',referral,') ? r.replace(',referral,', ',search,') : r;
    });
  const added = [41, 42, 43, 44].map((i) => `${i},2025-11-0${i - 40},retail,search,basic,${i}`);
  writeFileSync(file, [header, ...kept, ...added, ''].join('\n'));
}

async function twoProfiles(extra: string): Promise<{ ws: Workspace; latest: Result }> {
  const dir = makeShop(extra);
  const ws = new Workspace(dir);
  stores.push(ws);
  await ws.import();
  await ws.analyze(['profile']);
  shift(dir);
  await ws.import();
  const [latest] = (await ws.analyze(['profile'])).results;
  if (latest === undefined) throw new Error('no profile');
  return { ws, latest };
}

const changes = (r: Result) => r.findings.filter((f) => f.code.startsWith('profile.change.'));
const close = (a: number, b: number): boolean => Math.abs(a - b) <= RELATIVE_TOLERANCE * Math.max(1, Math.abs(a), Math.abs(b));

describe('paired snapshot comparisons on both engines', () => {
  itCluster('the embedded store and the cluster pair the same 36 customers and find the same changes with the same intervals', async () => {
    const embedded = await twoProfiles('');
    const cluster = await twoProfiles(`engine:\n  clickhouse:\n    database: pair_${process.pid}\n`);
    for (const { latest } of [embedded, cluster]) {
      expect(latest.method.assumptions.join(' ')).toMatch(/customer by customer over the 36 customers both versions hold/);
    }
    const a = changes(embedded.latest);
    const b = changes(cluster.latest);
    expect(a.length).toBeGreaterThan(0);
    expect(b.map((f) => f.text.replace(/v\d{6}-\d{8}T\d{6}Z/, 'ID'))).toEqual(a.map((f) => f.text.replace(/v\d{6}-\d{8}T\d{6}Z/, 'ID')));
    a.forEach((f, i) => {
      const g = b[i];
      expect(g !== undefined && close(f.estimate, g.estimate) && close(f.interval.lower, g.interval.lower) && close(f.interval.upper, g.interval.upper), f.text).toBe(true);
    });
  }, 240_000);
});
