import { describe, expect, it } from 'vitest';
import { CxrayError, UnsupportedCapability } from '../../errors.js';
import type { RowValue } from '../types.js';
import { columnEncoder, encodeRows, scaledDecimal } from './row-binary.js';

const bytes = (type: string, ...values: RowValue[]): string =>
  Buffer.concat(encodeRows([columnEncoder(type, 'c')], values.map((v) => [v]))).toString('hex');

describe('RowBinary encoding for insertRows', () => {
  it('writes integers little-endian in two’s complement, from numbers, bigints and digit strings', () => {
    expect(bytes('Int32', -2, '7')).toBe('feffffff07000000');
    expect(bytes('Int64', -(2n ** 63n))).toBe('0000000000000080');
    expect(bytes('UInt64', 2n ** 64n - 1n)).toBe('ffffffffffffffff');
    expect(() => bytes('Int32', 2 ** 31)).toThrow(TypeError);
    expect(() => bytes('UInt8', -1)).toThrow(TypeError);
    expect(() => bytes('Int32', 1.5)).toThrow(TypeError);
  });

  it('writes doubles as their bits (no text parsing on the server)', () => {
    const b = Buffer.alloc(8);
    b.writeDoubleLE(0.1 + 0.2);
    expect(bytes('Float64', 0.1 + 0.2)).toBe(b.toString('hex'));
    b.writeDoubleLE(-0);
    expect(bytes('Float64', -0)).toBe(b.toString('hex'));
  });

  it('scales decimals exactly, rounding half away from zero, and refuses overflow', () => {
    expect(scaledDecimal('12.34', 4)).toBe(123400n);
    expect(scaledDecimal('-0.00005', 4)).toBe(-1n);
    expect(scaledDecimal('0.00004', 4)).toBe(0n);
    expect(scaledDecimal(1.5e-3, 4)).toBe(15n);
    expect(scaledDecimal('99999999999999.9999', 4)).toBe(999999999999999999n);
    expect(scaledDecimal('1e2', 0)).toBe(100n);
    expect(scaledDecimal('abc', 4)).toBeUndefined();
    expect(() => bytes('Decimal(18, 4)', '100000000000000')).toThrow(TypeError);
  });

  it('writes Nullable with a flag byte, lists with a length, NULL lists as [] and refuses NULL in NOT NULL columns', () => {
    expect(bytes('Nullable(String)', null, 'é')).toBe('01' + '00' + '02c3a9');
    expect(bytes('Array(String)', ['a', 'b'], null)).toBe('020161016200');
    expect(() => bytes('String', null)).toThrow(CxrayError);
    expect(() => bytes('String', ['a'])).toThrow(TypeError);
  });

  it('writes booleans, timestamps and dates; refuses NUL, lone surrogates and instants before 1970', () => {
    expect(bytes("Enum8('false' = 0, 'true' = 1)", true, false, 'true')).toBe('010001');
    expect(bytes("DateTime('UTC')", '1970-01-02T00:00:01.999Z', '1970-01-02 00:00:01')).toBe('81510100' + '81510100');
    expect(bytes('Date', '2024-02-29')).toBe(Buffer.from([0x46, 0x4d]).toString('hex'));
    expect(() => bytes('String', 'a\u0000')).toThrow(TypeError);
    expect(() => bytes('String', '\uD800')).toThrow(TypeError);
    expect(() => bytes("DateTime('UTC')", '1969-12-31T23:59:59Z')).toThrow(UnsupportedCapability);
    expect(() => bytes("DateTime('UTC')", 'yesterday')).toThrow(TypeError);
  });
});
