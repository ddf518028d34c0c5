import { fmix32, Rng } from '../simulate/random.js';
import { BASE_EXPORTS, baseExport, type ColumnRole, type ExportTable } from './base-exports.js';
import { encode, PLAIN_FRAMING, renderRecord, renderTable, type Framing, type Rendered } from './render-table.js';

/**
 * The defects of issue 10's hostile-file run, one per generated file (or a
 * random combination). Each names what is wrong, so an outcome can be read
 * per kind and a failure replayed from its seed and index.
 */
export const HOSTILE_KINDS = [
  'clean',
  'truncated_mid_row',
  'truncated_mid_quote',
  'binary_garbage',
  'garbage_rows',
  'latin1_in_utf8',
  'utf16_bom',
  'utf8_bom',
  'semicolon_delimiter',
  'tab_delimiter',
  'pipe_delimiter',
  'mixed_delimiters',
  'wide_10k_columns',
  'field_1mb',
  'quotes_in_headers',
  'newlines_in_headers',
  'formula_injection',
  'duplicate_headers',
  'empty_file',
  'header_only',
  'dates_out_of_range',
  'amounts_extreme',
  'amounts_us_grouping',
  'amounts_eu_in_us',
  'crlf_line_endings',
  'cr_line_endings',
  'ragged_rows',
  'windows_1252',
  'combination',
] as const;
export type HostileKind = (typeof HOSTILE_KINDS)[number];

/** The formula-injection cells of OWASP's CSV injection page, as issue 10 lists them. */
/** Text with the characters only Windows-1252 has (0x80-0x9F), beside Latin-1's. */
export const CP1252_TEXT = ['Paid €120 – “on time”', '‘quoted’ … • ™', 'Š œ Ÿ ž — Zoë', 'Café ‚low‘ „high“ ‰'] as const;

export const FORMULA_CELLS = ['=HYPERLINK("http://x","y")', "+cmd|' /C calc'!A0", '@SUM(1)', '-2+3', '=1+1'] as const;

/**
 * A cell the generator wrote on purpose, with what reading it must give:
 * `readable: false` means a date or number reader must refuse it (the row is
 * quarantined, never loaded with a silent NULL); `true` means it must read;
 * `null` means it depends on the mapped type. `formula` cells must come back
 * from the store byte for byte.
 */
export interface PlantedCell {
  row: number;
  column: string;
  value: string;
  readable: boolean | null;
  formula: boolean;
  /** Text in an encoding's own characters (Windows-1252's € or curly quotes): must come back byte for byte. */
  text: boolean;
  /** Physical line in the file; null when the framing leaves no lines to count. */
  line: number | null;
}

export interface HostileFile {
  seed: number;
  index: number;
  kind: HostileKind;
  /** The defects applied: `[kind]`, or two or three for `combination`. */
  parts: HostileKind[];
  base: (typeof BASE_EXPORTS)[number];
  fileName: string;
  bytes: Buffer;
  planted: PlantedCell[];
  /** Data records the file holds, when its defects cannot merge or split records; else null. */
  records: number | null;
}

interface Draft {
  table: ExportTable;
  framing: Framing;
  overrides: Map<number, Buffer>;
  planted: Omit<PlantedCell, 'line'>[];
  /** Edits of the rendered bytes: row edits first, then cuts of the tail. */
  rowEdits: ((bytes: Buffer, rendered: Rendered) => Buffer)[];
  tailEdits: ((bytes: Buffer) => Buffer)[];
  /** The whole file, when the defect leaves nothing of the export. */
  replaceAll: Buffer | null;
}

const columnsWith = (t: ExportTable, roles: readonly ColumnRole[]): number[] => t.roles.flatMap((r, i) => (roles.includes(r) ? [i] : []));

function randomBytes(rng: Rng, length: number, zeroShare: number): Buffer {
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i += 1) out[i] = rng.chance(zeroShare) ? 0 : rng.int(1, 255);
  return out;
}

/** Put `value` into `count` distinct random rows of one column of the given roles; returns false when the table has none. */
function plant(draft: Draft, rng: Rng, roles: readonly ColumnRole[], values: readonly { value: string; readable: boolean | null }[], count: number, verbatim: 'formula' | 'text' | null = null): boolean {
  const columns = columnsWith(draft.table, roles);
  if (columns.length === 0 || draft.table.rows.length === 0) return false;
  const column = rng.pick(columns);
  // Rows already holding a planted value keep it: one verdict per row.
  const taken = new Set(draft.planted.map((p) => p.row));
  const free = draft.table.rows.length - taken.size;
  const rows = new Set<number>();
  while (rows.size < Math.min(count, free)) {
    const row = rng.int(0, draft.table.rows.length - 1);
    if (!taken.has(row)) rows.add(row);
  }
  for (const row of rows) {
    const { value, readable } = rng.pick(values);
    const cells = draft.table.rows[row] as string[];
    cells[column] = value;
    draft.planted.push({ row, column: draft.table.header[0]?.[column] ?? '', value, readable, formula: verbatim === 'formula', text: verbatim === 'text' });
  }
  return true;
}

function encodedText(draft: Draft, text: string): Buffer {
  return encode(text, draft.framing);
}

const DEFECTS: Record<Exclude<HostileKind, 'combination'>, (draft: Draft, rng: Rng) => void> = {
  clean: () => undefined,
  truncated_mid_row: (draft) => {
    draft.tailEdits.push((bytes) => {
      // Cut inside the last record, past its first byte and before its line end.
      const end = bytes.length - (draft.framing.finalNewline ? encodedText(draft, draft.framing.lineEnding).length : 0);
      const start = bytes.lastIndexOf(encodedText(draft, '\n'), end - 1);
      const from = start < 0 ? 1 : start + 2;
      return from >= end - 1 ? bytes : bytes.subarray(0, from + Math.floor((end - from) / 2));
    });
  },
  truncated_mid_quote: (draft, rng) => {
    const last = draft.table.rows[draft.table.rows.length - 1];
    const text = columnsWith(draft.table, ['text'])[0];
    if (last === undefined || text === undefined) return;
    last[text] = `cut here, "right in the middle" of ${'a quoted field '.repeat(rng.int(1, 4))}`;
    draft.tailEdits.push((bytes) => {
      const quote = encodedText(draft, '"');
      const at = bytes.lastIndexOf(encodedText(draft, 'cut here'));
      return at < 0 || bytes.lastIndexOf(quote, at) < 0 ? bytes : bytes.subarray(0, at + quote.length * 12);
    });
  },
  binary_garbage: (draft, rng) => {
    draft.replaceAll = randomBytes(rng, rng.int(1, 4096), 0.1);
  },
  garbage_rows: (draft, rng) => {
    for (let k = rng.int(1, 3); k > 0 && draft.table.rows.length > 0; k -= 1) {
      draft.overrides.set(rng.int(0, draft.table.rows.length - 1), randomBytes(rng, rng.int(1, 200), 0.2));
    }
  },
  latin1_in_utf8: (draft, rng) => {
    if (draft.framing.encoding === 'utf-16le-bom') return;
    const text = columnsWith(draft.table, ['text'])[0];
    const rows = new Set(Array.from({ length: rng.int(1, 3) }, () => rng.int(0, Math.max(0, draft.table.rows.length - 1))));
    for (const row of rows) {
      const cells = draft.table.rows[row];
      if (cells === undefined || text === undefined) continue;
      cells[text] = rng.pick(['Müller', 'Café Søren', 'Ångström & Zoë']);
    }
    // The same rows written as Latin-1 bytes: é is E9, invalid on its own in UTF-8.
    draft.rowEdits.push((bytes, rendered) => {
      const pieces: Buffer[] = [];
      let at = 0;
      for (const row of [...rows].sort((a, b) => a - b)) {
        const start = rendered.rowStarts[row];
        const end = rendered.rowStarts[row + 1] ?? bytes.length;
        if (start === undefined) continue;
        pieces.push(bytes.subarray(at, start), Buffer.from(bytes.subarray(start, end).toString('utf8'), 'latin1'));
        at = end;
      }
      pieces.push(bytes.subarray(at));
      return Buffer.concat(pieces);
    });
  },
  utf16_bom: (draft) => {
    draft.framing.encoding = 'utf-16le-bom';
  },
  utf8_bom: (draft) => {
    if (draft.framing.encoding === 'utf-8') draft.framing.encoding = 'utf-8-bom';
  },
  semicolon_delimiter: (draft, rng) => {
    draft.framing.delimiter = ';';
    // European Excel writes decimal commas with semicolons.
    if (rng.chance(0.5)) for (const row of draft.table.rows) for (const c of columnsWith(draft.table, ['amount'])) row[c] = (row[c] ?? '').replace('.', ',');
  },
  tab_delimiter: (draft) => {
    draft.framing.delimiter = '\t';
  },
  pipe_delimiter: (draft) => {
    draft.framing.delimiter = '|';
  },
  mixed_delimiters: (draft, rng) => {
    const other = rng.pick([';', '\t', '|'].filter((d) => d !== draft.framing.delimiter));
    for (let k = rng.int(1, 3); k > 0 && draft.table.rows.length > 0; k -= 1) {
      const row = rng.int(0, draft.table.rows.length - 1);
      const cells = draft.table.rows[row] ?? [];
      draft.overrides.set(row, renderRecord(cells, { ...draft.framing, delimiter: other }));
    }
  },
  wide_10k_columns: (draft, rng) => {
    const names = draft.table.header[0] as string[];
    const extra = 10_000 - names.length;
    for (const header of draft.table.header) for (let k = 0; k < extra; k += 1) header.push(header === names ? `custom_field_${k + 1}` : '');
    draft.table.roles.push(...Array.from({ length: extra }, () => 'text' as const));
    for (const row of draft.table.rows) for (let k = 0; k < extra; k += 1) row.push(rng.chance(0.7) ? '' : String(k % 7));
  },
  field_1mb: (draft, rng) => {
    const text = columnsWith(draft.table, ['text'])[0] ?? 0;
    const row = draft.table.rows[rng.int(0, Math.max(0, draft.table.rows.length - 1))];
    if (row === undefined) return;
    const unit = rng.pick(['lorem ipsum ', 'a, "quoted" word ', 'line\nbreak ']);
    row[text] = unit.repeat(Math.ceil((1_048_576 + rng.int(0, 65_536)) / unit.length));
  },
  quotes_in_headers: (draft, rng) => {
    const names = draft.table.header[0] as string[];
    for (let k = rng.int(1, 3); k > 0; k -= 1) {
      const i = rng.int(0, names.length - 1);
      names[i] = rng.pick([`${names[i]} "USD"`, `"${names[i]}"`, `${names[i]}, total`, `=HYPERLINK("http://x","${names[i]}")`, `${names[i]}"`]);
    }
  },
  newlines_in_headers: (draft, rng) => {
    const names = draft.table.header[0] as string[];
    const i = rng.int(0, names.length - 1);
    names[i] = (names[i] ?? '').replace(' ', rng.pick(['\n', '\r\n'])) + (names[i]?.includes(' ') === true ? '' : '\nsecond line');
  },
  windows_1252: (draft, rng) => {
    // An old Excel's "CSV" save: every cell in Windows-1252 (a character it lacks becomes ?), some holding
    // the characters only it has (0x80-0x9F), which must come back from the store as written.
    if (draft.framing.encoding !== 'utf-8') return;
    draft.framing.encoding = 'windows-1252';
    plant(draft, rng, ['text'], CP1252_TEXT.map((value) => ({ value, readable: null })), rng.int(1, 4), 'text');
  },
  formula_injection: (draft, rng) => {
    const values = FORMULA_CELLS.map((value) => ({ value, readable: null }));
    plant(draft, rng, ['text', 'enum'], values, rng.int(2, 5), 'formula');
    // In the first column too, so a quarantined record's raw text starts with a formula.
    if (rng.chance(0.5)) plant(draft, rng, ['id'], values, 1, 'formula');
    if (rng.chance(0.5)) plant(draft, rng, ['amount', 'number', 'date'], values, 1, 'formula');
  },
  duplicate_headers: (draft, rng) => {
    const names = draft.table.header[0] as string[];
    const i = rng.int(0, names.length - 1);
    const copy = rng.pick([names[i] ?? '', (names[i] ?? '').toUpperCase(), ` ${names[i] ?? ''} `]);
    if (rng.chance(0.5)) {
      // Another column renamed to the same name.
      const j = (i + rng.int(1, names.length - 1)) % names.length;
      names[j] = copy;
    } else {
      for (const header of draft.table.header) header.push(header === names ? copy : (header[i] ?? ''));
      draft.table.roles.push(draft.table.roles[i] ?? 'text');
      for (const row of draft.table.rows) row.push(rng.chance(0.5) ? (row[i] ?? '') : 'other');
    }
  },
  empty_file: (draft, rng) => {
    draft.replaceAll = rng.pick([Buffer.alloc(0), Buffer.from('\n'), Buffer.from('\r\n\r\n'), Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('   \n  \n'), Buffer.from([0xff, 0xfe])]);
  },
  header_only: (draft, rng) => {
    draft.table.rows = [];
    draft.framing.finalNewline = rng.chance(0.5);
  },
  dates_out_of_range: (draft, rng) => {
    // Mid-year outside 1800..2200: the range holds for the stored UTC instant, so a
    // 2201-01-01 00:00 read in a zone east of UTC is 2200-12-31, in range.
    const bad = ['0000-01-01 00:00', '99999-01-01', '2026-13-45 10:00', '1900-02-29', '1799-06-15 12:00', '2201-06-15 00:00', '2026-02-30'];
    plant(draft, rng, ['date'], bad.map((value) => ({ value, readable: false })), rng.int(1, 2));
    if (rng.chance(0.5)) plant(draft, rng, ['date'], [{ value: '2000-02-29 12:00', readable: true }], 1);
  },
  amounts_extreme: (draft, rng) => {
    const bad = ['1e400', '-1e400', 'NaN', 'Infinity', '-inf'].map((value) => ({ value, readable: false }));
    const huge = { value: '123456789012345678901234567890', readable: null };
    plant(draft, rng, ['amount', 'number'], [...bad, huge], rng.int(1, 2));
  },
  amounts_us_grouping: (draft, rng) => {
    const values = ['1,234.56', '12,345.00', '1,000,000.01'].map((value) => ({ value, readable: true }));
    plant(draft, rng, ['amount'], values, rng.int(1, 3));
  },
  amounts_eu_in_us: (draft, rng) => {
    plant(draft, rng, ['amount'], [{ value: '1.234,56', readable: false }], 1);
  },
  crlf_line_endings: (draft) => {
    draft.framing.lineEnding = '\r\n';
  },
  cr_line_endings: (draft) => {
    draft.framing.lineEnding = '\r';
  },
  ragged_rows: (draft, rng) => {
    for (let k = rng.int(1, 5); k > 0 && draft.table.rows.length > 0; k -= 1) {
      const row = draft.table.rows[rng.int(0, draft.table.rows.length - 1)] as string[];
      // At least two cells stay: one empty cell alone is a blank line, not a record.
      if (rng.chance(0.5)) row.splice(rng.int(2, Math.max(2, row.length - 1)));
      else row.push(...Array.from({ length: rng.int(1, 3) }, () => 'extra'));
    }
  },
};

/** Defects that can go together in a `combination` (not those that replace the whole file). */
const COMBINABLE = HOSTILE_KINDS.filter((k): k is Exclude<HostileKind, 'combination'> => !['combination', 'binary_garbage', 'empty_file', 'clean', 'wide_10k_columns', 'field_1mb'].includes(k));

/** Defects after which each data row is still on the physical line it was written to. */
const LINES_KEPT = new Set<HostileKind>(['clean', 'windows_1252', 'formula_injection', 'dates_out_of_range', 'amounts_extreme', 'amounts_us_grouping', 'amounts_eu_in_us', 'crlf_line_endings', 'utf8_bom', 'utf16_bom']);
/** Defects that keep every data row one record (however it reads). */
const RECORDS_KEPT = new Set<HostileKind>([
  'semicolon_delimiter',
  'tab_delimiter',
  'pipe_delimiter',
  'duplicate_headers',
  'field_1mb',
  'wide_10k_columns',
  'latin1_in_utf8',
  'ragged_rows',
  'quotes_in_headers',
  'newlines_in_headers',
]);

/** MurmurHash3's finaliser (src/simulate/random.ts), as an unsigned 32-bit value. */
const mix32 = (value: number): number => fmix32(value) >>> 0;

/**
 * Spread the bits of (seed, index) over 53 bits: the stream's first draws
 * barely differ between neighbouring seeds, and the first draw picks the base.
 */
function fileSeed(seed: number, index: number): number {
  const high = mix32(mix32(seed) ^ 0x9e3779b9);
  const low = mix32(high ^ mix32(index + 0x6a09e667));
  return (high & 0x1f_ffff) * 0x1_0000_0000 + low;
}

/**
 * The `index`-th hostile file of a run: a pure function of (seed, index), so
 * any failure is replayed from those two numbers. Kinds go round in order,
 * so any run of at least HOSTILE_KINDS.length files has every kind.
 *
 * @example
 * const f = hostileFile(1, 13); // f.kind === 'field_1mb'
 */
export function hostileFile(seed: number, index: number): HostileFile {
  const rng = Rng.fromSeed(fileSeed(seed, index));
  for (let k = 0; k < 4; k += 1) rng.uint32();
  const kind = HOSTILE_KINDS[index % HOSTILE_KINDS.length] as HostileKind;
  const base = rng.pick(BASE_EXPORTS);
  // At least 50 rows: init tolerates 2% of misfit values per column, so one
  // planted bad value leaves the column typed and reaches the importer's checks.
  const rows = kind === 'wide_10k_columns' ? rng.int(3, 8) : rng.int(50, 90);
  const draft: Draft = { table: baseExport(rng, base, rows), framing: { ...PLAIN_FRAMING, quoteAll: rng.chance(0.15) }, overrides: new Map(), planted: [], rowEdits: [], tailEdits: [], replaceAll: null };
  let parts: HostileKind[] = [kind];
  if (kind === 'combination') {
    const pool = [...COMBINABLE];
    parts = Array.from({ length: rng.int(2, 3) }, () => pool.splice(rng.int(0, pool.length - 1), 1)[0] as HostileKind);
  }
  for (const part of parts) DEFECTS[part as Exclude<HostileKind, 'combination'>](draft, rng);
  let bytes: Buffer;
  let rendered: Rendered | null = null;
  if (draft.replaceAll !== null) bytes = draft.replaceAll;
  else {
    rendered = renderTable(draft.table, draft.framing, draft.overrides);
    bytes = rendered.bytes;
    for (const edit of draft.rowEdits) bytes = edit(bytes, rendered);
    for (const edit of draft.tailEdits) bytes = edit(bytes);
  }
  const framingChanged = parts.some((p) => !LINES_KEPT.has(p));
  const recordsKept = draft.replaceAll === null && parts.every((p) => LINES_KEPT.has(p) || RECORDS_KEPT.has(p));
  const planted = draft.planted
    // A planted row overwritten by garbage or re-delimited no longer holds the value.
    .filter((p) => !draft.overrides.has(p.row))
    .map((p) => ({ ...p, line: framingChanged || rendered === null ? null : (rendered.rowLines[p.row] ?? null) }));
  return { seed, index, kind, parts, base, fileName: draft.table.fileName, bytes, planted, records: recordsKept ? draft.table.rows.length : null };
}
