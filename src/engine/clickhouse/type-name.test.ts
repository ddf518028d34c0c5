import { describe, expect, it } from 'vitest';
import { canonicalOf, isBooleanEnum, parseTypeName } from './type-name.js';

describe('ClickHouse type names', () => {
  it('parses nested types, numbers, time zones and enum labels with escapes', () => {
    expect(parseTypeName("Nullable(DateTime('UTC'))")).toEqual({ name: 'Nullable', args: [{ name: 'DateTime', args: ['UTC'] }] });
    expect(parseTypeName('Decimal(18, 4)')).toEqual({ name: 'Decimal', args: [18, 4] });
    expect(parseTypeName("Enum8('a\\'b' = -1, 'c' = 2)")).toEqual({ name: 'Enum8', args: [{ label: "a'b", value: -1 }, { label: 'c', value: 2 }] });
    expect(parseTypeName('Tuple(UInt8, Array(String))').args).toHaveLength(2);
    expect(() => parseTypeName('Array(String')).toThrow(TypeError);
    expect(() => parseTypeName('String x')).toThrow(TypeError);
  });

  it('maps engine types to portable ones, the boolean enum to boolean and nothing else', () => {
    expect(canonicalOf("Nullable(Enum8('false' = 0, 'true' = 1))")).toEqual({ type: 'boolean', nullable: true });
    expect(isBooleanEnum(parseTypeName("Enum8('true' = 1, 'false' = 0)"))).toBe(false);
    expect(canonicalOf("Enum8('a' = 1)")).toEqual({ type: 'string', nullable: false });
    expect(canonicalOf('Nullable(Decimal(18, 4))')).toEqual({ type: 'money', nullable: true });
    expect(canonicalOf('UInt64')).toEqual({ type: 'int64', nullable: false });
    expect(canonicalOf('UInt32')).toEqual({ type: 'int32', nullable: false });
    expect(canonicalOf("DateTime('UTC')")).toEqual({ type: 'timestamp', nullable: false });
    expect(canonicalOf('Array(String)')).toEqual({ type: 'string[]', nullable: false });
  });
});
