import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbEngine } from '../engine/duckdb/engine.js';
import { parseBoolean, parseEnum, parseInteger, parseMoney, parseNumber, parseTimestamp, type ParsedValue } from './expressions.js';

let engine: DuckDbEngine;
beforeAll(async () => {
  engine = await DuckDbEngine.open(':memory:');
});
afterAll(async () => {
  await engine.close();
});

async function run(parse: (raw: string) => ParsedValue, input: string | null): Promise<{ value: unknown; invalid: boolean }> {
  const parsed = parse('$raw');
  const rows = await engine.query(`SELECT ${parsed.value} AS value, ${parsed.invalid} AS invalid FROM (SELECT CAST($input AS VARCHAR) AS x) t`.replaceAll('$raw', 'x'), {
    input,
  });
  return { value: rows[0]?.['value'], invalid: rows[0]?.['invalid'] === true };
}

describe('money', () => {
  const dot = (raw: string): ParsedValue => parseMoney(engine.dialect, raw, { decimal: '.', unit: 'major' });
  const comma = (raw: string): ParsedValue => parseMoney(engine.dialect, raw, { decimal: ',', unit: 'major' });
  const cents = (raw: string): ParsedValue => parseMoney(engine.dialect, raw, { decimal: '.', unit: 'minor' });
  it.each([
    ['59.90', '59.9000'],
    ['$22.50', '22.5000'],
    ['-$0.95', '-0.9500'],
    ['$-0.95', '-0.9500'],
    ['(0.95)', '-0.9500'],
    ['1,234.56', '1234.5600'],
    ['USD 1,000.00', '1000.0000'],
    ['12 EUR', '12.0000'],
    ['€ 7', '7.0000'],
    [' 42 ', '42.0000'],
  ])('reads %s as %s', async (input, expected) => {
    expect(await run(dot, input)).toEqual({ value: expected, invalid: false });
  });
  it.each(['12..50', 'abc', '1e400', '1,5', '1.234,56', '--5', '99999999999999999999'])('rejects %s as not a number', async (input) => {
    expect(await run(dot, input)).toEqual({ value: null, invalid: true });
  });
  it('reads decimal commas when declared', async () => {
    expect(await run(comma, '0,25')).toEqual({ value: '0.2500', invalid: false });
    expect(await run(comma, '1.234,56')).toEqual({ value: '1234.5600', invalid: false });
  });
  it('reads minor units', async () => {
    expect(await run(cents, '5990')).toEqual({ value: '59.9000', invalid: false });
  });
  it('treats blanks as missing, not invalid', async () => {
    expect(await run(dot, '   ')).toEqual({ value: null, invalid: false });
    expect(await run(dot, null)).toEqual({ value: null, invalid: false });
  });
});

describe('numbers', () => {
  it('reads doubles and rejects non-finite', async () => {
    const p = (raw: string): ParsedValue => parseNumber(engine.dialect, raw, { decimal: '.' });
    expect(await run(p, '3.5')).toEqual({ value: 3.5, invalid: false });
    expect(await run(p, '1e5')).toEqual({ value: 100000, invalid: false });
    expect((await run(p, 'inf')).invalid).toBe(true);
    expect((await run(p, '1e400')).invalid).toBe(true);
  });
  it('reads integers and rejects fractions', async () => {
    const p = (raw: string): ParsedValue => parseInteger(engine.dialect, raw, { decimal: '.' });
    expect(await run(p, '72')).toEqual({ value: 72n, invalid: false });
    expect((await run(p, '7.5')).invalid).toBe(true);
  });
});

describe('timestamps', () => {
  const at = (format: string, timezone = 'UTC', dateOrder: 'mdy' | 'dmy' | 'ymd' = 'mdy') => (raw: string): ParsedValue =>
    parseTimestamp(engine.dialect, raw, { format, timezone, dateOrder });
  it.each([
    ['auto', '2026-01-02 03:04:05', '2026-01-02T03:04:05.000Z'],
    ['auto', '2026-01-02T03:04:05Z', '2026-01-02T03:04:05.000Z'],
    ['auto', '2026-01-02T03:04:05.250Z', '2026-01-02T03:04:05.000Z'], // floored to the second
    ['auto', '2026-01-02T03:04:05+02:00', '2026-01-02T01:04:05.000Z'],
    ['auto', '2020-10-29 09:07:31 -0400', '2020-10-29T13:07:31.000Z'],
    ['auto', '2026-01-02', '2026-01-02T00:00:00.000Z'],
    ['auto', '9/1/2023 10:01:10', '2023-09-01T10:01:10.000Z'],
    ['mdy', '12/1/2010 8:26', '2010-12-01T08:26:00.000Z'],
    ['mdy', '10/05/2026 2:30:00 PM', '2026-10-05T14:30:00.000Z'],
    ['dmy', '13/09/2026 10:00', '2026-09-13T10:00:00.000Z'],
    ['yyyymmdd', '19970101', '1997-01-01T00:00:00.000Z'],
    ['epoch_s', '1602611311', '2020-10-13T17:48:31.000Z'],
    ['epoch_ms', '1602611311123', '2020-10-13T17:48:31.000Z'],
    ['epoch_us', '1602611311123456', '2020-10-13T17:48:31.000Z'],
    ['excel', '45384.5', '2024-04-02T12:00:00.000Z'],
    ['%d.%m.%Y', '31.12.2025', '2025-12-31T00:00:00.000Z'],
  ])('%s reads %s', async (format, input, expected) => {
    expect(await run(at(format), input)).toEqual({ value: expected, invalid: false });
  });
  it('reads naive times in the workspace time zone', async () => {
    expect(await run(at('auto', 'America/Denver'), '2026-01-02 03:04:05')).toEqual({ value: '2026-01-02T10:04:05.000Z', invalid: false });
    // An explicit offset wins over the workspace zone.
    expect(await run(at('auto', 'America/Denver'), '2026-01-02T03:04:05Z')).toEqual({ value: '2026-01-02T03:04:05.000Z', invalid: false });
  });
  it.each(['2025-13-45 10:00:00', 'not a date', '0001-01-01', '31/12/2025'])('rejects %s', async (input) => {
    expect(await run(at('auto'), input)).toEqual({ value: null, invalid: true });
  });
});

describe('mapped values', () => {
  it('reads booleans in common spellings', async () => {
    const p = (raw: string): ParsedValue => parseBoolean(engine.dialect, raw, undefined);
    expect(await run(p, 'Yes')).toEqual({ value: true, invalid: false });
    expect(await run(p, '0')).toEqual({ value: false, invalid: false });
    expect(await run(p, 'maybe')).toEqual({ value: null, invalid: true });
  });
  it('maps enum values case-insensitively, with a default', async () => {
    const p = (raw: string): ParsedValue =>
      parseEnum(engine.dialect, raw, ['phone', 'email', 'other'], { 'Phone call': 'phone', Mail: 'email' }, 'other');
    expect(await run(p, 'phone CALL')).toEqual({ value: 'phone', invalid: false });
    expect(await run(p, 'email')).toEqual({ value: 'email', invalid: false });
    expect(await run(p, 'Carrier pigeon')).toEqual({ value: 'other', invalid: false });
  });
  it('quarantines unmapped enum values without a default', async () => {
    const p = (raw: string): ParsedValue => parseEnum(engine.dialect, raw, ['purchase', 'fee'], undefined);
    expect(await run(p, "x'); DROP TABLE t; --")).toEqual({ value: null, invalid: true });
  });
});
