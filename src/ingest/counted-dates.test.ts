import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { itNeeds } from '../../test/helpers/strict.js';
import { CLICKHOUSE_INSTALL_HINT, clickhouseInstalled, leaseCluster, releaseCluster } from '../engine/clickhouse/test-cluster.js';
import type { RowValue } from '../engine/types.js';
import { UserError } from '../errors.js';
import { dropClickHouseVersions } from '../workspace/store-engine.js';
import { Workspace } from '../workspace/workspace.js';

// Birth dates (before 1970, which ClickHouse 18.16 cannot hold) declared as
// `age` or `days_since` attributes: counted to as_of on import, so every
// engine stores the same integers and the date itself is not kept.

const AS_OF = '2025-06-30';
const BORN: [string, string][] = [
  ['1', '1948-06-30'], // birthday on as_of: 77 today
  ['2', '1948-07-01'], // birthday tomorrow: still 76
  ['3', '1960-02-29'], // leap-day birth, as_of in a common year
  ['4', '1969-12-31'],
  ['5', '2001-01-01'],
  ['6', ''], // unknown
  ['7', '2025-07-01'], // after as_of: a negative day count, age -1
];

/** Completed years and whole days, counted independently of the SQL under test (calendar arithmetic in UTC). */
function expected(born: string): { age: number | null; days: number | null } {
  if (born === '') return { age: null, days: null };
  const [y, m, d] = born.split('-').map(Number) as [number, number, number];
  const [ay, am, ad] = AS_OF.split('-').map(Number) as [number, number, number];
  const age = ay - y - (m * 100 + d > am * 100 + ad ? 1 : 0);
  const days = Math.round((Date.UTC(ay, am - 1, ad) - Date.UTC(y, m - 1, d)) / 86_400_000);
  return { age, days };
}

function workspace(extra = ''): string {
  const dir = mkdtempSync(join(tmpdir(), 'cxray-born-'));
  writeFileSync(join(dir, 'people.csv'), ['id,Date of Birth,Joined', ...BORN.map(([id, born]) => `${id},${born},2020-01-0${id}`), ''].join('\n'));
  writeFileSync(
    join(dir, 'cxray.yaml'),
    `as_of: ${AS_OF}
currency: USD
timezone: Asia/Tokyo
sources:
  people:
    files: [people.csv]
    feeds:
      - table: customers
        columns: {customer_id: id, signup_at: Joined}
        attributes:
          age: {column: Date of Birth, type: age}
          days_alive: {column: Date of Birth, type: days_since}
${extra}`,
  );
  return dir;
}

async function storedCounts(ws: Workspace): Promise<Record<string, unknown>[]> {
  const store = await ws.openStore();
  try {
    const rows = await store.engine.query<{ customer_id: string; age: RowValue; days_alive: RowValue }>('SELECT customer_id, age, days_alive FROM customers ORDER BY customer_id');
    return rows.map((r) => ({ customer_id: r.customer_id, age: r.age === null ? null : Number(r.age), days: r.days_alive === null ? null : Number(r.days_alive) }));
  } finally {
    await store.close();
  }
}

const want = BORN.map(([id, born]) => ({ customer_id: id, ...expected(born) }));

describe('dates counted to as_of (age, days_since)', () => {
  it('stores whole years and whole days, read as calendar dates whatever the workspace time zone', async () => {
    const ws = new Workspace(workspace());
    const result = await ws.import();
    expect(result.ledger.files[0]).toMatchObject({ read: 7, inserted: 7, quarantined: 0 });
    expect(await storedCounts(ws)).toEqual(want);
    // The spot checks the independent count relies on.
    expect(want.slice(0, 3).map((w) => w.age)).toEqual([77, 76, 65]);
    const store = await ws.openStore();
    try {
      const columns = await store.engine.describe('customers');
      expect(columns.find((c) => c.name === 'age')?.type).toBe('int32');
    } finally {
      await store.close();
    }
  });

  it('names the unit in the profile: years for an age', async () => {
    const ws = new Workspace(workspace());
    await ws.import();
    const [profile] = (await ws.analyze(['profile'])).results;
    const mean = profile?.findings.find((f) => f.code === 'profile.attribute_mean' && f.text.startsWith('Mean age'));
    expect(mean?.text).toMatch(/years/);
  });

  it('quarantines a birth date that is not a date, with the column named', async () => {
    const dir = workspace();
    writeFileSync(join(dir, 'people.csv'), 'id,Date of Birth,Joined\n1,1950-01-01,2020-01-01\n2,someday,2020-01-02\n');
    const result = await new Workspace(dir).import();
    expect(result.ledger.files[0]).toMatchObject({ read: 2, inserted: 1, quarantined: 1, quarantinedByReason: { bad_date: 1 } });
  });
});

const installed = clickhouseInstalled();
const itCluster = itNeeds(installed, 'clickhouse-server', CLICKHOUSE_INSTALL_HINT);
const clusterWorkspaces: Workspace[] = [];
if (installed) {
  beforeAll(() => leaseCluster(), 180_000);
  afterAll(async () => {
    for (const ws of clusterWorkspaces) {
      const store = await ws.storeEngine();
      if (store.kind === 'clickhouse') await dropClickHouseVersions(store).catch(() => undefined);
    }
    releaseCluster();
  }, 120_000);
}

describe('dates before 1970 on ClickHouse 18.16', () => {
  itCluster('an age counted from a 1948 birth date is stored on the cluster exactly as on DuckDB', async () => {
    const ws = new Workspace(workspace(`engine:\n  clickhouse:\n    database: born_${process.pid}\n`));
    clusterWorkspaces.push(ws);
    await ws.import();
    expect(await storedCounts(ws)).toEqual(want);
  }, 120_000);

  itCluster('a birth date declared as a date is refused with the fix named, and nothing changes', async () => {
    const dir = workspace(`engine:\n  clickhouse:\n    database: born_date_${process.pid}\n`);
    writeFileSync(join(dir, 'cxray.yaml'), readFileSync(join(dir, 'cxray.yaml'), 'utf8').replace('type: age}', 'type: date}'));
    const ws = new Workspace(dir);
    clusterWorkspaces.push(ws);
    const error = await ws.import().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).code).toBe('date_out_of_range');
    expect((error as UserError).hint).toContain('type age');
    expect(await ws.currentVersion()).toBeNull();
  }, 120_000);
});
