import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbEngine } from '../../engine/duckdb/engine.js';
import { isQuarterEnd } from '../../simulate/calendar.js';
import { DAY_MS, daysToQuarterEnd, fiscalQuarterOf, inQuarterEndWindow, quarterEndFlagSql } from './fiscal-calendar.js';

const FIRST = Date.UTC(2023, 0, 1);
const DAYS = 4 * 366;

let engine: DuckDbEngine;

beforeAll(async () => {
  engine = await DuckDbEngine.open(':memory:', { memoryLimit: '256MB' });
});

afterAll(async () => {
  await engine?.close();
});

describe('the fiscal calendar of quarter-end windows', () => {
  it('puts a fiscal quarter at fiscal_year_start_month and every third month after', () => {
    expect(fiscalQuarterOf(Date.UTC(2025, 0, 15), 1)).toEqual({ startMs: Date.UTC(2025, 0, 1), nextMs: Date.UTC(2025, 3, 1) });
    // A fiscal year starting in February: quarters Feb-Apr, May-Jul, Aug-Oct, Nov-Jan.
    expect(fiscalQuarterOf(Date.UTC(2025, 0, 15), 2)).toEqual({ startMs: Date.UTC(2024, 10, 1), nextMs: Date.UTC(2025, 1, 1) });
    expect(fiscalQuarterOf(Date.UTC(2025, 3, 30), 2)).toEqual({ startMs: Date.UTC(2025, 1, 1), nextMs: Date.UTC(2025, 4, 1) });
    expect(fiscalQuarterOf(Date.UTC(2025, 6, 1), 7)).toEqual({ startMs: Date.UTC(2025, 6, 1), nextMs: Date.UTC(2025, 9, 1) });
  });

  it('agrees with the simulator on calendar quarters, whatever the time of day', () => {
    for (let i = 0; i < DAYS; i += 1) {
      const ms = FIRST + i * DAY_MS + (i % 24) * 3_600_000 + 59_000;
      expect(inQuarterEndWindow(ms, 10, 1), new Date(ms).toISOString()).toBe(isQuarterEnd(ms, 10));
    }
    expect(daysToQuarterEnd(Date.UTC(2025, 2, 31, 23, 59), 1)).toBe(1);
    expect(daysToQuarterEnd(Date.UTC(2025, 2, 22), 1)).toBe(10);
    expect(daysToQuarterEnd(Date.UTC(2025, 0, 1), 1)).toBe(90);
  });

  it('flags the same days in SQL as in TypeScript, for every fiscal start month and window length', async () => {
    const d = engine.dialect;
    for (const [month, window] of [[1, 10], [2, 14], [3, 1], [4, 45], [11, 7], [12, 30]] as const) {
      const at = `(TIMESTAMP '2023-01-01 13:45:00' + ${d.quoteIdent('i')} * INTERVAL 1 DAY)`;
      const rows = await engine.query<{ i: bigint; f: number }>(`SELECT i, ${quarterEndFlagSql(d, at, window, month)} AS f FROM ${d.integerSeries(DAYS, 'i')} AS s ORDER BY i`);
      const flagged = rows.map((r) => r.f === 1);
      const expected = Array.from({ length: DAYS }, (_, i) => inQuarterEndWindow(FIRST + i * DAY_MS, window, month));
      expect(flagged).toEqual(expected);
      // Every fiscal quarter of the span holds exactly `window` flagged days (the first and last are whole here).
      expect(flagged.filter(Boolean).length).toBeGreaterThanOrEqual(window * 15);
    }
    const none = await engine.query<{ f: number }>(`SELECT ${quarterEndFlagSql(d, 'CAST(NULL AS TIMESTAMP)', 10, 1)} AS f`);
    expect(none[0]?.f).toBe(0);
  });

  it('refuses an empty window, and one as long as a quarter', () => {
    expect(() => quarterEndFlagSql(engine.dialect, 'x', 90, 1)).toThrow(RangeError);
    expect(() => quarterEndFlagSql(engine.dialect, 'x', 0, 1)).toThrow(RangeError);
  });
});
