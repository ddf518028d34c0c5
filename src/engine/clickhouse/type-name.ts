/**
 * ClickHouse type names as the server writes them (`Nullable(Decimal(18, 4))`,
 * `DateTime('UTC')`, `Enum8('false' = 0, 'true' = 1)`), parsed into a tree, and
 * mapped to the portable types of engine/types.ts.
 */
import type { CanonicalType } from '../types.js';
import { BOOLEAN_TYPE } from './literal.js';

export type TypeArgument = TypeNode | string | number | { label: string; value: number };

export interface TypeNode {
  name: string;
  args: TypeArgument[];
}

class TypeNameReader {
  private i = 0;
  constructor(private readonly text: string) {}

  private skipSpaces(): void {
    while (this.text[this.i] === ' ') this.i += 1;
  }

  private fail(what: string): never {
    throw new TypeError(`Cannot read ClickHouse type ${JSON.stringify(this.text)}: ${what} at ${this.i}`);
  }

  private quoted(): string {
    // 'text' with backslash escapes, as the server prints enum labels and time zones.
    let out = '';
    this.i += 1;
    while (this.i < this.text.length) {
      const c = this.text[this.i] as string;
      if (c === '\\') {
        out += this.text[this.i + 1] ?? '';
        this.i += 2;
      } else if (c === "'") {
        this.i += 1;
        return out;
      } else {
        out += c;
        this.i += 1;
      }
    }
    return this.fail('unterminated quote');
  }

  private argument(): TypeArgument {
    this.skipSpaces();
    const c = this.text[this.i];
    if (c === "'") {
      const label = this.quoted();
      this.skipSpaces();
      if (this.text[this.i] !== '=') return label;
      this.i += 1;
      this.skipSpaces();
      const match = /^-?\d+/.exec(this.text.slice(this.i));
      if (match === null) this.fail('expected an enum value');
      this.i += match[0].length;
      return { label, value: Number(match[0]) };
    }
    if (c !== undefined && /[-\d]/.test(c)) {
      const match = /^-?\d+/.exec(this.text.slice(this.i)) ?? this.fail('expected a number');
      this.i += match[0].length;
      return Number(match[0]);
    }
    return this.node();
  }

  node(): TypeNode {
    this.skipSpaces();
    const match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.text.slice(this.i)) ?? this.fail('expected a type name');
    this.i += match[0].length;
    const args: TypeArgument[] = [];
    this.skipSpaces();
    if (this.text[this.i] === '(') {
      this.i += 1;
      this.skipSpaces();
      if (this.text[this.i] !== ')') {
        for (;;) {
          args.push(this.argument());
          this.skipSpaces();
          const sep = this.text[this.i];
          this.i += 1;
          if (sep === ')') break;
          if (sep !== ',') this.fail('expected , or )');
        }
      } else {
        this.i += 1;
      }
    }
    return { name: match[0], args };
  }

  done(): boolean {
    this.skipSpaces();
    return this.i === this.text.length;
  }
}

export function parseTypeName(text: string): TypeNode {
  const reader = new TypeNameReader(text);
  const node = reader.node();
  if (!reader.done()) throw new TypeError(`Cannot read ClickHouse type ${JSON.stringify(text)}: trailing text`);
  return node;
}

export function typeArg(node: TypeNode, index: number): TypeNode {
  const arg = node.args[index];
  if (typeof arg !== 'object' || !('name' in arg)) throw new TypeError(`${node.name} needs a type argument`);
  return arg;
}

const BOOLEAN_NODE = parseTypeName(BOOLEAN_TYPE);

/** Whether an enum is the boolean type (exactly 'false' = 0, 'true' = 1). */
export function isBooleanEnum(node: TypeNode): boolean {
  return node.name === 'Enum8' && JSON.stringify(node.args) === JSON.stringify(BOOLEAN_NODE.args);
}

const CANONICAL: Record<string, CanonicalType> = {
  String: 'string',
  FixedString: 'string',
  UUID: 'string',
  Int8: 'int32',
  Int16: 'int32',
  Int32: 'int32',
  UInt8: 'int32',
  UInt16: 'int32',
  UInt32: 'int32',
  Int64: 'int64',
  UInt64: 'int64',
  Float32: 'double',
  Float64: 'double',
  Decimal: 'money',
  Decimal32: 'money',
  Decimal64: 'money',
  Decimal128: 'money',
  DateTime: 'timestamp',
  Date: 'date',
};

/** The portable type of a column, and whether it holds NULL. */
export function canonicalOf(text: string): { type: CanonicalType; nullable: boolean } {
  let node = parseTypeName(text);
  const nullable = node.name === 'Nullable';
  if (nullable) node = typeArg(node, 0);
  if (node.name === 'Array') return { type: 'string[]', nullable };
  if (isBooleanEnum(node)) return { type: 'boolean', nullable };
  return { type: CANONICAL[node.name] ?? 'string', nullable };
}
