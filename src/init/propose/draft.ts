import type { CanonicalTableName } from '../../model/tables.js';
import type { ColumnProfile, FileInspection, Recognition } from '../types.js';
import type { CustomerDirectory } from './customer-directory.js';
import type { CustomerRef } from './customer-ref.js';

/** A column spec or attribute spec as written to cxray.yaml. */
export type Spec = string | Record<string, unknown>;

export interface WhereDraft {
  column: string;
  in?: (string | number | boolean)[];
  not_in?: (string | number | boolean)[];
  gt?: number;
  lt?: number;
  nonblank?: boolean;
}

export interface FeedDraft {
  table: CanonicalTableName;
  columns: Record<string, Spec>;
  keys?: Record<string, Spec>;
  attributes?: Record<string, Spec>;
  unpivot?: Record<string, { instrument: string; question?: string; area?: string }>;
  where?: WhereDraft[];
  allow_negative?: boolean;
}

/** A proposed feed and the comments explaining each of its guesses (paths relative to the feed). */
export class FeedBuilder {
  readonly feed: FeedDraft;
  readonly notes: { path: (string | number)[]; text: string }[] = [];

  constructor(table: CanonicalTableName) {
    this.feed = { table, columns: {} };
  }

  column(name: string, spec: Spec, note?: string): this {
    this.feed.columns[name] = spec;
    if (note !== undefined) this.notes.push({ path: ['columns', name], text: note });
    return this;
  }

  where(w: WhereDraft, note?: string): this {
    this.feed.where = [...(this.feed.where ?? []), w];
    if (note !== undefined) this.notes.push({ path: ['where', this.feed.where.length - 1], text: note });
    return this;
  }

  note(path: (string | number)[], text: string): this {
    this.notes.push({ path, text });
    return this;
  }
}

/** What the workspace-level proposals (fees, behaviours, areas, currency) learn from one source. */
export interface SourceFacts {
  feeCategories: string[];
  surveyAreas: string[];
  eventNames: string[];
  currencies: string[];
  attributes: AttributeFact[];
  dates: string[];
}

export interface AttributeFact {
  name: string;
  column: ColumnProfile;
  type: string;
  atAcquisition: boolean;
  /** Canonical values the attribute takes (booleans as true/false). */
  values: (string | boolean)[];
}

export interface ProposeContext {
  file: FileInspection;
  recognition: Recognition;
  directory?: CustomerDirectory | undefined;
  customer?: CustomerRef | undefined;
}

export interface ProposedFeeds {
  feeds: FeedBuilder[];
  /** Lines for the comment above the source. */
  remarks: string[];
  facts: Partial<SourceFacts>;
  rowKey?: string[];
  /** Set when the file cannot be used after all (and why). */
  leaveOut?: string;
}

/** `{column, format}` for a date column, with the note saying why. */
export function dateSpec(c: ColumnProfile): { spec: Spec; note: string } {
  const format = c.date?.format ?? 'auto';
  return { spec: { column: c.name, format }, note: c.date?.note ?? 'CHECK: no date shape recognised; read with format auto' };
}

/** An amount column: its name, or `{column, decimal: ','}` / `{column, unit: minor}` when the values say so. */
export function amountSpec(c: ColumnProfile): { spec: Spec; note: string } {
  const n = c.number;
  const example = c.values[0] ?? '';
  if (n === undefined) return { spec: c.name, note: `CHECK: values like ${example} were not all read as numbers` };
  // Cents only for integer-only columns with API-style lower-case headers (EXPORTS.md "amounts").
  if (n.integer && /^(amount_[a-z_]+|[a-z_]+_amount|[a-z_]+_cents|[a-z_]+_unit_price)$/.test(c.name) && n.max >= 100) {
    return { spec: { column: c.name, unit: 'minor' }, note: `whole numbers like ${example} under an API-style header: read as cents (unit: minor); CHECK` };
  }
  if (n.decimal === ',') return { spec: { column: c.name, decimal: ',' }, note: `amounts like ${example}: decimal comma` };
  const symbol = n.symbol === undefined ? '' : `, symbol ${n.symbol} stripped`;
  return { spec: c.name, note: `amounts like ${example}: major units${symbol}` };
}

/**
 * Blank in more than 2% of sampled rows: blanks are a feature of the export
 * (guests, anonymous visitors, later lines of an order) and a `where` filter
 * leaves those rows out as excluded. Rarer blanks are defects: the rows are
 * left to be quarantined as missing_value, where a person sees them.
 */
export function commonlyBlank(c: ColumnProfile): boolean {
  const n = c.blanks + c.values.length;
  return n > 0 && c.blanks > n * 0.02;
}
