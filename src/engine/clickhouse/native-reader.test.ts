import { describe, expect, it } from 'vitest';
import { decimalText, NativeFormatError, NativeReader } from './native-reader.js';

const varint = (n: number): Buffer => {
  const out: number[] = [];
  let rest = n;
  while (rest >= 0x80) {
    out.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  out.push(rest);
  return Buffer.from(out);
};
const str = (s: string): Buffer => Buffer.concat([varint(Buffer.byteLength(s)), Buffer.from(s)]);
const le = (bytes: number, write: (b: Buffer) => void): Buffer => {
  const b = Buffer.alloc(bytes);
  write(b);
  return b;
};
const u64 = (...v: bigint[]): Buffer => Buffer.concat(v.map((x) => le(8, (b) => b.writeBigUInt64LE(x))));

/** A Native block as the server writes it: column and row counts, then each column's name, type and data. */
function block(rows: number, columns: Array<[string, string, Buffer]>): Buffer {
  return Buffer.concat([varint(columns.length), varint(rows), ...columns.flatMap(([name, type, data]) => [str(name), str(type), data])]);
}

const SAMPLE = block(2, [
  ['n', 'UInt64', u64(1n, 2n ** 63n)],
  ['s', 'String', Buffer.concat([str('a'), str('é😀')])],
  ['d', 'Decimal(18, 4)', Buffer.concat([le(8, (b) => b.writeBigInt64LE(-1n)), le(8, (b) => b.writeBigInt64LE(123400n))])],
  ['t', "DateTime('UTC')", Buffer.concat([le(4, (b) => b.writeUInt32LE(0)), le(4, (b) => b.writeUInt32LE(1710054000))])],
  ['day', 'Date', Buffer.concat([le(2, (b) => b.writeUInt16LE(0)), le(2, (b) => b.writeUInt16LE(19782))])],
  ['b', "Nullable(Enum8('false' = 0, 'true' = 1))", Buffer.from([0, 1, 1, 0])],
  ['a', 'Array(Nullable(String))', Buffer.concat([u64(2n, 2n), Buffer.from([0, 1]), str('x'), str('')])],
  ['n0', 'Nullable(Nothing)', Buffer.concat([Buffer.from([1, 1]), Buffer.from('00')])],
  ['__proto__', 'Int32', Buffer.concat([le(4, (b) => b.writeInt32LE(-5)), le(4, (b) => b.writeInt32LE(7))])],
]);

/** As [name, value] pairs: an object literal cannot hold an own `__proto__` key. */
const EXPECTED: Array<Array<[string, unknown]>> = [
  [['n', 1n], ['s', 'a'], ['d', '-0.0001'], ['t', '1970-01-01T00:00:00.000Z'], ['day', '1970-01-01'], ['b', true], ['a', ['x', null]], ['n0', null], ['__proto__', -5]],
  [['n', 2n ** 63n], ['s', 'é😀'], ['d', '12.3400'], ['t', '2024-03-10T07:00:00.000Z'], ['day', '2024-02-29'], ['b', null], ['a', []], ['n0', null], ['__proto__', 7]],
];

describe('Native format reader', () => {
  it('reads every supported type into the Engine conventions, a __proto__ column as an own property', () => {
    const reader = new NativeReader();
    const rows = [...reader.push(SAMPLE), ...reader.end()].flatMap((b) => b.rows());
    expect(rows.map((r) => Object.entries(r))).toEqual(EXPECTED);
    expect(Object.getPrototypeOf(rows[0])).toBe(Object.prototype);
    expect(Object.hasOwn(rows[0] ?? {}, '__proto__')).toBe(true);
  });

  it('gives the same rows when the bytes arrive one at a time, over several blocks', () => {
    const reader = new NativeReader();
    const bytes = Buffer.concat([SAMPLE, SAMPLE, block(0, [['x', 'String', Buffer.alloc(0)]])]);
    const blocks = [];
    for (let i = 0; i < bytes.length; i += 1) blocks.push(...reader.push(bytes.subarray(i, i + 1)));
    blocks.push(...reader.end());
    expect(blocks.map((b) => b.rowCount)).toEqual([2, 2, 0]);
    expect(blocks[1]?.rows(1, 2).map((r) => r['s'])).toEqual(['é😀']);
  });

  it('refuses a server error appended mid-stream, even after a one-column String result (which a text format would take for a row)', () => {
    const error = Buffer.from('Code: 241, e.displayText() = DB::Exception: Memory limit (for query) exceeded, e.what() = DB::Exception\n');
    const oneString = block(1, [['s', 'String', str('fine')]]);
    const reader = new NativeReader();
    expect(reader.push(oneString).length).toBe(1);
    reader.push(error);
    expect(() => reader.end()).toThrow(NativeFormatError);
    const again = new NativeReader();
    again.push(Buffer.concat([oneString, error]));
    expect(() => again.end()).toThrow(/Code: 241/);
  });

  it('refuses a stream cut off inside a block', () => {
    const reader = new NativeReader();
    reader.push(SAMPLE.subarray(0, SAMPLE.length - 3));
    expect(() => reader.end()).toThrow(NativeFormatError);
  });

  it('writes decimals exactly, sign and leading zeros included', () => {
    expect(decimalText(0n, 4)).toBe('0.0000');
    expect(decimalText(-1n, 4)).toBe('-0.0001');
    expect(decimalText(1999999999999999998n, 4)).toBe('199999999999999.9998');
    expect(decimalText(-42n, 0)).toBe('-42');
  });
});
