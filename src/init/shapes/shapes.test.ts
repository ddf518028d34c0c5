import { describe, expect, it } from 'vitest';
import { guessBoolean } from './boolean-shape.js';
import { guessDateFormat } from './date-shape.js';
import { currencyOfSymbol, guessNumber, parseAmountText } from './number-shape.js';
import { profileColumn } from './profile-column.js';

describe('guessDateFormat', () => {
  it('reads ISO shapes, with or without time and offset', () => {
    expect(guessDateFormat(['2026-01-05 10:14:22', '2026-02-01'], 'Created')?.format).toBe('iso');
    expect(guessDateFormat(['2020-10-29 09:07:31 -0400'], 'Created at')?.note).toContain('offset');
    expect(guessDateFormat(['2026-03-01T10:22:33.123Z'], 'timestamp')?.format).toBe('iso');
    expect(guessDateFormat(['2026-03-01 10:00'], 'Start (UTC)')?.note).toContain('UTC (the header says so)');
  });
  it('tells day-first from month-first by a component above 12', () => {
    expect(guessDateFormat(['12/1/2010 8:26', '12/13/2010 9:02'], 'InvoiceDate')?.format).toBe('mdy');
    expect(guessDateFormat(['02/01/2024 09:15', '13/01/2024 14:02'], 'Date/Time Opened')?.format).toBe('dmy');
    expect(guessDateFormat(['01/15/2024 10:22:33 AM'], 'End Date')?.format).toBe('mdy');
    const ambiguous = guessDateFormat(['01/02/2024', '03/04/2024'], 'Date');
    expect(ambiguous?.format).toBe('mdy');
    expect(ambiguous?.note).toContain('ASSUMED');
    expect(guessDateFormat(['13/01/2024', '01/13/2024'], 'Date')).toBeUndefined();
  });
  it('reads epoch digits by length only under a time-like header', () => {
    expect(guessDateFormat(['1602611311'], 'time')?.format).toBe('epoch_s');
    expect(guessDateFormat(['1767323045000'], 'Review Submit Millis Since Epoch')?.format).toBe('epoch_ms');
    expect(guessDateFormat(['1767607262000000'], 'event_timestamp')?.format).toBe('epoch_us');
    expect(guessDateFormat(['1602611311'], 'account_number')).toBeUndefined();
    expect(guessDateFormat(['20260105', '20260106', '20260107'], 'event_date')?.format).toBe('yyyymmdd');
    expect(guessDateFormat(['45384.35'], 'Created at')?.format).toBe('excel');
    expect(guessDateFormat(['Sat Jun 15 2024'], 'Timestamp')?.format).toBe('%a %b %d %Y');
  });
});

describe('broken values in large samples', () => {
  const many = (n: number, make: (i: number) => string): string[] => Array.from({ length: n }, (_, i) => make(i));
  it('tolerates up to 2% misfits and says so', () => {
    const dates = [...many(199, (i) => `2026-01-${String((i % 28) + 1).padStart(2, '0')} 10:00:00`), 'not a date'];
    const guess = guessDateFormat(dates, 'RecordedDate');
    expect(guess?.format).toBe('iso');
    expect(guess?.note).toContain('1 sampled value(s) like "not a date"');
    expect(guessDateFormat([...many(190, () => '2026-01-05'), ...many(10, () => 'n/a')], 'Date')).toBeUndefined();
    expect(guessNumber([...many(199, (i) => `${i}.50`), '12..50'])).toBeDefined();
    expect(guessNumber(['1.50', '12..50'])).toBeUndefined();
  });
  it('keeps an id column unique despite an exact duplicate row', () => {
    const cells = [...many(300, (i) => String(10_000_000 + i)), '10000007'];
    expect(profileColumn({ index: 0, name: 'Record ID', cells }).unique).toBe(true);
    expect(profileColumn({ index: 0, name: 'Record ID', cells: ['1', '2', '2'] }).unique).toBe(false);
  });
});

describe('amounts and numbers', () => {
  it('parses symbols, signs, parentheses, thousands separators and decimal commas', () => {
    expect(parseAmountText('$22.50')?.value).toBe(22.5);
    expect(parseAmountText('-$0.95')?.value).toBe(-0.95);
    expect(parseAmountText('(0.95)')?.value).toBe(-0.95);
    expect(parseAmountText('1,234.56')?.value).toBe(1234.56);
    expect(parseAmountText('1.234,56')).toMatchObject({ value: 1234.56, decimalHint: ',' });
    expect(parseAmountText('0,25')).toMatchObject({ value: 0.25, decimalHint: ',' });
    expect(parseAmountText('USD 1,000.00')).toMatchObject({ value: 1000, symbol: 'USD' });
    expect(parseAmountText('12 €')).toMatchObject({ value: 12, symbol: '€' });
    expect(parseAmountText('abc')).toBeUndefined();
    expect(parseAmountText('1.2.3')).toBeUndefined();
  });
  it('summarises a column, and leaves zero-padded codes as text', () => {
    expect(guessNumber(['59.90', '120.00'])).toMatchObject({ integer: false, decimal: '.', min: 59.9, max: 120 });
    expect(guessNumber(['1', '72'])).toMatchObject({ integer: true });
    expect(guessNumber(['"0,25"'.replace(/"/g, ''), '12,50'])?.decimal).toBe(',');
    expect(guessNumber(['00123', '00456'])).toBeUndefined();
    expect(currencyOfSymbol('$')).toBe('USD');
    expect(currencyOfSymbol('EUR')).toBe('EUR');
  });
});

describe('guessBoolean', () => {
  it('needs both sides of a pair', () => {
    expect(guessBoolean(['Yes', 'No'])?.map).toEqual({ Yes: true, No: false });
    expect(guessBoolean(['0', '1'])?.map).toEqual({ '0': false, '1': true });
    expect(guessBoolean(['true', 'false'])?.map).toEqual({ true: true, false: false });
    expect(guessBoolean(['Yes', 'No', 'No internet service'])?.map).toEqual({ Yes: true, No: false, 'No internet service': false });
    expect(guessBoolean(['1'])).toBeUndefined();
    expect(guessBoolean(['1', '2'])).toBeUndefined();
    expect(guessBoolean(['Yes', 'Maybe'])).toBeUndefined();
  });
});

describe('profileColumn', () => {
  it('counts blanks, keeps whitespace-only cells apart and strips a spreadsheet apostrophe', () => {
    const p = profileColumn({ index: 0, name: 'Phone', cells: ["'+39 333 1", null, ' ', "'+39 333 2"] });
    expect(p).toMatchObject({ key: 'phone', blanks: 2, whitespaceOnly: [' '], values: ['+39 333 1', '+39 333 2'], distinct: 2, unique: false });
    expect(profileColumn({ index: 1, name: 'E-mail', cells: ['a@x.io', 'b@y.io'] })).toMatchObject({ email: true, unique: true });
  });
});
