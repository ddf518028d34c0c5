import { headerKey } from '../names.js';
import type { ColumnProfile, ValueCount } from '../types.js';
import { guessBoolean } from './boolean-shape.js';
import { guessDateFormat } from './date-shape.js';
import { guessNumber } from './number-shape.js';

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

export interface ColumnInput {
  index: number;
  name: string;
  description?: string | undefined;
  importId?: string | undefined;
  timeZone?: string | undefined;
  /** Sampled cells (NULL for empty). */
  cells: readonly (string | null)[];
}

/** Profile one column from its sampled cells. */
export function profileColumn(input: ColumnInput): ColumnProfile {
  const values: string[] = [];
  const whitespace = new Set<string>();
  let blanks = 0;
  for (const cell of input.cells) {
    if (cell === null || cell.trim() === '') {
      blanks++;
      if (cell !== null && cell !== '') whitespace.add(cell);
      continue;
    }
    values.push(stripSpreadsheetApostrophe(cell.trim()));
  }
  const distinctValues = [...new Set(values)];
  const profile: ColumnProfile = {
    index: input.index,
    name: input.name,
    key: headerKey(input.name),
    values,
    blanks,
    whitespaceOnly: [...whitespace],
    distinct: distinctValues.length,
    // Nearly unique: an export's exact duplicate rows (about 0.05%) must not hide its id column.
    unique: values.length > 0 && values.length - distinctValues.length <= tolerance(input.cells.length) && blanks <= tolerance(input.cells.length),
    email: values.length > 0 && values.filter((v) => EMAIL.test(v)).length >= values.length * 0.8,
  };
  if (input.description !== undefined && input.description !== '') profile.description = input.description;
  if (input.importId !== undefined && input.importId !== '') profile.importId = input.importId;
  if (input.timeZone !== undefined && input.timeZone !== '') profile.timeZone = input.timeZone;
  return reshape(profile, distinctValues);
}

const tolerance = (n: number): number => Math.floor(n * 0.01);

/**
 * Attach whole-file value counts and redo the shape guesses that depend on
 * the full value set. In a large file a value seen in under 0.5% of rows
 * (a planted or mistyped one) does not stop a yes/no column being yes/no.
 */
export function withAllValues(profile: ColumnProfile, all: ValueCount[]): ColumnProfile {
  const total = all.reduce((s, v) => s + v.count, 0);
  const common = total >= 500 ? all.filter((v) => v.count >= total * 0.005) : all;
  return reshape({ ...profile, allValues: all }, common.map((v) => v.value));
}

function reshape(profile: ColumnProfile, distinctValues: string[]): ColumnProfile {
  const out: ColumnProfile = { ...profile };
  delete out.date;
  delete out.number;
  delete out.boolean;
  const values = profile.values;
  const date = guessDateFormat(values, profile.name);
  if (date !== undefined) out.date = date;
  const bool = guessBoolean(distinctValues);
  if (bool !== undefined) out.boolean = bool;
  const number = date === undefined ? guessNumber(values) : undefined;
  if (number !== undefined) out.number = number;
  return out;
}

/** Shopify writes `'+39 333...` and `'shop-101` to stop Excel from reformatting them. */
function stripSpreadsheetApostrophe(value: string): string {
  return value.startsWith("'") && value.length > 1 && !value.endsWith("'") ? value.slice(1) : value;
}
