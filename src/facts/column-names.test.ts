import { describe, expect, it } from 'vitest';
import { ColumnNames, snakeCase } from './column-names.js';

describe('snakeCase', () => {
  it('turns any text into a lower-case name of letters, digits and underscores', () => {
    expect(snakeCase('Late Fee')).toBe('late_fee');
    expect(snakeCase('late-fee')).toBe('late_fee');
    expect(snakeCase('  Überziehungs-Gebühr (EUR) ')).toBe('uberziehungs_gebuhr_eur');
    expect(snakeCase('walk-in')).toBe('walk_in');
    expect(snakeCase('2nd notice')).toBe('2nd_notice');
    expect(snakeCase(`'; DROP TABLE x; --`)).toBe('drop_table_x');
    expect(snakeCase('!!!')).toBe('unnamed');
    expect(snakeCase('')).toBe('unnamed');
  });
});

describe('ColumnNames', () => {
  it('gives the first claim its name and later claims a numbered one', () => {
    const names = new ColumnNames();
    expect(names.claim('fee_late')).toBe('fee_late');
    expect(names.claim('fee_late')).toBe('fee_late_2');
    expect(names.claim('fee_late')).toBe('fee_late_3');
    expect(names.claim('fee_late_2')).toBe('fee_late_2_2');
    expect(names.has('fee_late_3')).toBe(true);
    expect(names.has('fee_other')).toBe(false);
  });
});
