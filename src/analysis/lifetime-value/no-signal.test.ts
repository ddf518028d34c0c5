import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportLedger } from '../../model/ledger.js';
import { Workspace, type OpenStore } from '../../workspace/workspace.js';
import { analyseLifetimeValue, type AnalysedWorkspace } from './cdnow-workspace.case.js';

// A shop where history carries no signal: every customer buys at one
// Poisson rate (a purchase every 20 days on average) from their first
// purchase on, and nobody leaves. What a customer did before the holdout
// says nothing about what they do after it beyond the common rate, so the
// analysis must say so and state no lifetime value.

function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function commonRateShop(): string {
  const random = mulberry32(20_240_101);
  const start = Date.UTC(2024, 0, 1);
  const end = Date.UTC(2025, 5, 30, 23, 59);
  const lines = ['customer,date,amount'];
  for (let c = 1; c <= 3000; c += 1) {
    let at = start + Math.floor(random() * 180) * 86_400_000;
    while (at <= end) {
      lines.push(`c${c},${new Date(at).toISOString().slice(0, 10)},${(15 + 10 * random()).toFixed(2)}`);
      at += Math.ceil((-Math.log(1 - random()) * 20) * 86_400_000);
    }
  }
  const dir = mkdtempSync(join(tmpdir(), 'cxray-ltv-nosignal-'));
  writeFileSync(join(dir, 'orders.csv'), `${lines.join('\n')}\n`);
  writeFileSync(
    join(dir, 'cxray.yaml'),
    `as_of: 2025-06-30
currency: USD
lifetime_value: {calibration_end: 2024-12-31}
sources:
  orders:
    files: [orders.csv]
    feeds:
      - table: transactions
        columns: {customer_id: customer, at: {column: date, format: iso}, amount: amount, currency: {value: USD}, kind: {value: purchase}}
`,
  );
  return dir;
}

let store: OpenStore;
let ledger: ImportLedger;
let analysed: AnalysedWorkspace;

beforeAll(async () => {
  const dir = commonRateShop();
  const ws = new Workspace(dir);
  ledger = (await ws.import()).ledger;
  store = await ws.openStore();
  analysed = await analyseLifetimeValue(dir, store.engine, ledger);
}, 120_000);

afterAll(async () => {
  await store?.close();
});

describe('purchase history without signal', () => {
  it('says the history carries no signal, in plain words, and states no lifetime value', () => {
    const { result } = analysed;
    expect(result.status).toBe('ok');
    expect(result.summary[0]).toMatch(/^Purchase history carries no usable signal here/);
    expect(result.warnings.some((w) => w.startsWith('Holdout: In the holdout period the model predicted customers’ purchases no better'))).toBe(true);
    expect(result.findings).toEqual([]);
    // The diagnostics are still there to look at.
    expect(result.tables.map((t) => t.name)).toContain('holdout_by_frequency');
  });

  it('the fit itself runs to its boundary: one rate for all or no dropout', () => {
    const codes = analysed.model.models.bgNbd.signal.issues.map((i) => i.code);
    expect(codes.includes('no_rate_heterogeneity') || codes.includes('no_dropout')).toBe(true);
  });
});
