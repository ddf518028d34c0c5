import { describe, expect, it } from 'vitest';
import { DuckDbEngine } from '../engine/duckdb/engine.js';
import { addMonths, formatCompactDate, formatDateMinute, formatDateTime, isQuarterEnd, parseIsoDate, quarterLabel } from './calendar.js';

describe('calendar', () => {
  it('adds months exactly as DuckDB adds INTERVAL n MONTH (day clamped to the month end)', async () => {
    const starts = ['2023-01-31 10:15:00', '2024-01-31 23:59:00', '2024-02-29 00:00:00', '2023-07-01 00:00:00', '2025-12-31 12:00:00', '2024-03-30 06:30:00', '2023-05-31 18:45:00'];
    const months = [-13, -1, 0, 1, 2, 11, 12, 13, 25, 36];
    const db = await DuckDbEngine.open(':memory:');
    try {
      // Test constants only (no user input) are written into the SQL text.
      const rows = await db.query<{ s: string; k: number; t: string }>(
        `SELECT s, k, strftime(CAST(s AS TIMESTAMP) + to_months(k), '%Y-%m-%d %H:%M:%S') AS t
         FROM unnest([${starts.map((s) => `'${s}'`).join(',')}]) AS a(s), unnest([${months.join(',')}]) AS b(k)`,
      );
      expect(rows).toHaveLength(starts.length * months.length);
      for (const row of rows) {
        const ms = Date.parse(`${row.s.replace(' ', 'T')}Z`);
        expect(formatDateTime(addMonths(ms, row.k)), `${row.s} + ${row.k}`).toBe(row.t);
      }
    } finally {
      await db.close();
    }
  });

  it('formats the export shapes and validates dates', () => {
    const ms = Date.UTC(2025, 2, 9, 7, 5, 3, 900);
    expect(formatDateTime(ms)).toBe('2025-03-09 07:05:03');
    expect(formatDateMinute(ms)).toBe('2025-03-09 07:05');
    expect(formatCompactDate(ms)).toBe('20250309');
    expect(parseIsoDate('2026-06-30')).toBe(Date.UTC(2026, 5, 30));
    expect(parseIsoDate('2026-02-30')).toBeNaN();
    expect(parseIsoDate('30/06/2026')).toBeNaN();
    expect(quarterLabel(ms)).toBe('2025Q1');
  });

  it('finds the last ten days of each calendar quarter', () => {
    expect(isQuarterEnd(Date.UTC(2025, 2, 22), 10)).toBe(true);
    expect(isQuarterEnd(Date.UTC(2025, 2, 21), 10)).toBe(false);
    expect(isQuarterEnd(Date.UTC(2025, 5, 21), 10)).toBe(true);
    expect(isQuarterEnd(Date.UTC(2025, 5, 20), 10)).toBe(false);
    expect(isQuarterEnd(Date.UTC(2025, 11, 31), 10)).toBe(true);
    expect(isQuarterEnd(Date.UTC(2025, 10, 30), 10)).toBe(false);
  });
});
