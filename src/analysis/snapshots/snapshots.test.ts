import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../errors.js';
import { Workspace } from '../../workspace/workspace.js';
import { makeShop } from '../shop.case.js';
import { snapshotSchema, type Snapshot } from './snapshot.js';

let dir: string;
let ws: Workspace;

function snapshots(): Snapshot[] {
  return readdirSync(join(dir, 'snapshots'))
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => snapshotSchema.parse(JSON.parse(readFileSync(join(dir, 'snapshots', f), 'utf8'))));
}

async function profile(options: { against?: string } = {}) {
  const [result] = (await ws.analyze(['profile'], {}, options)).results;
  if (result === undefined) throw new Error('no profile');
  return result;
}

beforeAll(async () => {
  dir = makeShop();
  ws = new Workspace(dir);
  await ws.import();
});

describe('dated profile snapshots', () => {
  it('one snapshot per import version and config, as JSON and Markdown; an unchanged import writes none', async () => {
    await profile();
    const [first] = snapshots();
    expect(first?.id).toMatch(/^v000001-\d{8}T\d{6}Z$/);
    expect(first?.changes).toEqual([]);
    expect(first?.measures.customers).toBe(40);
    expect(first?.measures.top10Share?.estimate).toBeCloseTo(1540 / 8200, 12);
    const md = readFileSync(join(dir, 'snapshots', `${first?.id ?? ''}.md`), 'utf8');
    expect(md).toContain('This is the first snapshot.');
    expect(md).toContain('40 customers as of 2025-12-31.');
    await profile();
    await ws.analyze(['profile'], {}, { fresh: true });
    await ws.analyze(['profile'], { segment: 'segment = retail' });
    expect(snapshots()).toHaveLength(1);
  });

  it('a re-import of the same data says "no material change"', async () => {
    writeFileSync(join(dir, 'cxray.yaml'), `${readFileSync(join(dir, 'cxray.yaml'), 'utf8')}thresholds: {points: 2}\n`);
    const imported = await ws.import();
    expect(imported.version).toBe(2);
    const result = await profile();
    expect(result.summary[0]).toMatch(/^No material change since snapshot v000001-/);
    expect(result.findings.filter((f) => f.code.startsWith('profile.change.'))).toEqual([]);
    expect(result.method.assumptions.join(' ')).toMatch(/compared customer by customer over the 40 customers both versions hold/);
    expect(snapshots().map((s) => s.importVersion)).toEqual([1, 2]);
  });

  it('a shifted import is reported as changed, with the interval and the threshold passed', async () => {
    const file = join(dir, 'customers.csv');
    // Every referral customer now came by search: referral 50% -> 0%, search 50% -> 100%.
    writeFileSync(file, readFileSync(file, 'utf8').replaceAll(',referral,', ',search,'));
    expect((await ws.import()).version).toBe(3);
    const result = await profile();
    expect(result.summary[0]).toMatch(/^Since snapshot v000002-.*share with channel search 50\.0% → 100\.0% \(\+50\.0 points\)/);
    const change = result.findings.find((f) => f.code === 'profile.change.mix' && f.text.includes('channel search'));
    expect(change?.estimate).toBeCloseTo(50, 10);
    // Paired over the same 40 customers: x1 = search before (20 of them), x2 = search after (all 40),
    // covariance 0, so Var = 0.5 * 0.5 / 40 + 0 (the after share has no spread).
    expect(change?.interval.lower).toBeCloseTo(50 - 1.959963984540054 * Math.sqrt(0.25 / 40) * 100, 9);
    expect(change?.interval.upper).toBeCloseTo(50 + 1.959963984540054 * Math.sqrt(0.25 / 40) * 100, 9);
    expect(change?.qValue).toBeLessThan(0.05);
    const latest = snapshots()[2];
    expect(latest?.changes[0]).toBe(result.summary[0]);
  });

  it('--against compares with a chosen snapshot, by id or date, and is not stored as the result', async () => {
    const againstFirst = await profile({ against: 'v000001' });
    expect(againstFirst.summary[0]).toMatch(/^Since snapshot v000001-/);
    const byDate = await profile({ against: new Date().toISOString().slice(0, 10) });
    expect(byDate.summary[0]).toMatch(/^No material change since snapshot v000003-/);
    const stored = await profile();
    expect(stored.summary[0]).toMatch(/^Since snapshot v000002-/);
    expect(snapshots()).toHaveLength(3);
    await expect(ws.analyze(['profile'], {}, { against: 'v000009' })).rejects.toThrow(UserError);
    await expect(ws.analyze(['profile'], { segment: 'segment = retail' }, { against: 'v000001' })).rejects.toThrow(/whole customer base/);
  });

  it('compares as independent samples, and says so, when the earlier version\'s store is gone', async () => {
    rmSync(join(dir, 'store', 'v000001.duckdb'));
    const result = await profile({ against: 'v000001' });
    expect(result.summary[0]).toMatch(/^Since snapshot v000001-/);
    expect(result.method.assumptions.join(' ')).toMatch(/independent samples \(conservative: the store of import version 1 is no longer there/);
  });
});
