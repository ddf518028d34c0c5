import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { Workspace } from '../../workspace/workspace.js';

/** Customers buying every `gap` to `gap + jitter` days from a random start in the first 60 days; 30% stop at a random date. */
function shop(n: number, gap: number, jitter: number, seed: number, calib: boolean): string {
  let a = seed;
  const random = () => { a = (a * 1103515245 + 12345) % 2147483648; return a / 2147483648; };
  const start = Date.UTC(2024, 0, 1);
  const end = Date.UTC(2025, 5, 30);
  const lines = ['customer,date,amount'];
  for (let c = 1; c <= n; c += 1) {
    let at = start + Math.floor(random() * 60) * 86_400_000;
    const stop = random() < 0.3 ? start + Math.floor(random() * 500) * 86_400_000 : end;
    while (at <= Math.min(end, stop)) {
      lines.push(`c${c},${new Date(at).toISOString().slice(0, 10)},${(20).toFixed(2)}`);
      at += Math.ceil(gap + jitter * random()) * 86_400_000;
    }
  }
  const dir = mkdtempSync(join(tmpdir(), 'cxray-ltv-nan-'));
  writeFileSync(join(dir, 'orders.csv'), `${lines.join('\n')}\n`);
  writeFileSync(join(dir, 'cxray.yaml'), `as_of: 2025-06-30
currency: USD
${calib ? 'lifetime_value: {calibration_end: 2024-12-31}\n' : ''}sources:
  orders:
    files: [orders.csv]
    feeds:
      - table: transactions
        columns: {customer_id: customer, at: {column: date, format: iso}, amount: amount, currency: {value: USD}, kind: {value: purchase}}
`);
  return dir;
}

// Thirty customers buying every 7 to 10 days, 30% of them stopping at a
// random date: the BG/NBD fit puts a and b in the hundreds of millions
// (the dropout probability nearly the same for everyone). The expected
// purchases once overflowed (∞ · 0 = NaN) and the analysis failed with
// "Non-finite number NaN cannot be rendered in SQL"; it must give finite
// scores, on every split.
for (const calibration of [false, true]) {
  it(`a clockwork shop of 30 customers gives finite lifetime values${calibration ? ' (with a calibration split)' : ''}`, async () => {
    const ws = new Workspace(shop(30, 7, 3, 30 * 7 + 7, calibration));
    await ws.import();
    const { results } = await ws.analyze(['lifetime-value']);
    const result = results.find((r) => r.name === 'lifetime-value');
    expect([result?.status, result?.reason]).toEqual(['ok', undefined]);
    const numbers = (result?.tables ?? []).flatMap((t) => t.rows.flat()).filter((v) => typeof v === 'number');
    expect(numbers.length).toBeGreaterThan(0);
    expect(numbers.every((v) => Number.isFinite(v))).toBe(true);
  }, 60_000);
}
