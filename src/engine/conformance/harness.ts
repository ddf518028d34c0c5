// Shared plumbing for the conformance cases: engine-neutral by construction
// (tables through dialect.createTable, names through dialect.quoteIdent).
import type { ColumnSpec } from '../dialect.js';
import type { Engine, RowValue, SqlValue } from '../types.js';

export interface ConformanceContext {
  /** The engine shared by the cases, opened before they run. */
  readonly engine: Engine;
  /** Open another engine of the same kind (for cases that close or break one). */
  open(): Promise<Engine>;
  close(engine: Engine): Promise<void>;
}

let counter = 0;

/** A fresh table name per call, so cases sharing one engine never collide. */
export function tableName(group: string): string {
  counter += 1;
  return `cx_${group}_${counter}`;
}

export async function createTable(engine: Engine, name: string, columns: readonly ColumnSpec[]): Promise<void> {
  await dropTable(engine, name);
  await engine.exec(engine.dialect.createTable(name, columns));
}

export async function dropTable(engine: Engine, name: string): Promise<void> {
  await engine.exec(`DROP TABLE IF EXISTS ${engine.dialect.quoteIdent(name)}`);
}

/**
 * A form that `toEqual` compares strictly: a number and a bigint of the same
 * value differ, and so do 0 and -0 (both matter to the type contract).
 */
export function comparable(value: RowValue | SqlValue | undefined): unknown {
  if (typeof value === 'number') return `number:${Object.is(value, -0) ? '-0' : String(value)}`;
  if (typeof value === 'bigint') return `bigint:${value.toString()}`;
  if (value instanceof Date) return `date:${value.toISOString()}`;
  if (Array.isArray(value)) return value.map((v: RowValue) => comparable(v));
  return value;
}

/** Short, printable description of a hostile string for failure lists. */
export function describeString(s: string): string {
  const shown = JSON.stringify(s.length > 40 ? `${s.slice(0, 40)}…` : s);
  return `${shown} (length ${s.length})`;
}

/** The time a promise took to settle, and how. */
export async function timed<T>(work: Promise<T>): Promise<{ ms: number; value?: T; error?: unknown }> {
  const start = performance.now();
  try {
    const value = await work;
    return { ms: performance.now() - start, value };
  } catch (error) {
    return { ms: performance.now() - start, error };
  }
}
