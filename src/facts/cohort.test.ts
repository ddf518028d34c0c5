import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbEngine } from '../engine/duckdb/engine.js';
import { fiscalQuarterStart } from './cohort.js';

let engine: DuckDbEngine;

beforeAll(async () => {
  engine = await DuckDbEngine.open(':memory:');
});

afterAll(async () => {
  await engine.close();
});

/** Reference: the fiscal quarter of month m (1-12) starts (m - F) mod 3 months earlier. */
function expectedStart(year: number, month: number, fiscalStart: number): string {
  const back = (((month - fiscalStart) % 3) + 3) % 3;
  const d = new Date(Date.UTC(year, month - 1 - back, 1));
  return d.toISOString().slice(0, 10);
}

describe('fiscalQuarterStart', () => {
  it('gives the first day of the fiscal quarter for every month and every fiscal start', async () => {
    const d = engine.dialect;
    // Mid-month and last-instant-of-month timestamps for each month of 2023 and January 2024 (leap February ahead).
    const instants = Array.from({ length: 13 }, (_, i) => {
      const month = new Date(Date.UTC(2023, i, 1));
      const last = new Date(Date.UTC(2023, i + 1, 1) - 1);
      return [new Date(month.getTime() + 14 * 86_400_000 + 3_600_000), last];
    }).flat();
    const exprs = Array.from({ length: 12 }, (_, f) => `CAST(${fiscalQuarterStart(d, '"at"', f + 1)} AS DATE) AS "f${f + 1}"`);
    const values = instants.map((t) => `(${d.literal(t)})`).join(', ');
    const rows = await engine.query(`SELECT "at", ${exprs.join(', ')} FROM (VALUES ${values}) AS t("at") ORDER BY "at"`);
    expect(rows).toHaveLength(instants.length);
    for (const row of rows) {
      const at = new Date(String(row['at']));
      for (let f = 1; f <= 12; f += 1) {
        expect(row[`f${f}`], `${row['at']} with fiscal year from month ${f}`).toBe(expectedStart(at.getUTCFullYear(), at.getUTCMonth() + 1, f));
      }
    }
  });

  it('refuses a month that does not exist', () => {
    expect(() => fiscalQuarterStart(engine.dialect, 'x', 13)).toThrow(RangeError);
    expect(() => fiscalQuarterStart(engine.dialect, 'x', 0)).toThrow(RangeError);
  });
});
