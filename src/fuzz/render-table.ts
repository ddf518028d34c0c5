import type { ExportTable } from './base-exports.js';

/** How a table is written out: the framing defects change these. */
export interface Framing {
  delimiter: string;
  lineEnding: '\n' | '\r\n' | '\r';
  /** Quote every field (PayPal does), not only those that need it. */
  quoteAll: boolean;
  encoding: 'utf-8' | 'utf-8-bom' | 'utf-16le-bom' | 'windows-1252';
  finalNewline: boolean;
}

export const PLAIN_FRAMING: Framing = { delimiter: ',', lineEnding: '\n', quoteAll: false, encoding: 'utf-8', finalNewline: true };

export interface Rendered {
  bytes: Buffer;
  /** Physical line (1-based, counted by `\n` as an editor does) of each data row; null when lines are not `\n`-separated. */
  rowLines: (number | null)[];
  /** Byte offset where each data row starts. */
  rowStarts: number[];
}

function field(value: string, framing: Framing): string {
  const needs = framing.quoteAll || value.includes(framing.delimiter) || /["\r\n]/.test(value);
  return needs ? `"${value.replaceAll('"', '""')}"` : value;
}

/** Windows-1252's bytes 0x80-0x9F (Node has no encoder for it; ICU's TextDecoder only decodes). */
const CP1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';

/** Text as Windows-1252 bytes, `?` for a character it has not (as Excel saves). */
export function windows1252(text: string): Buffer {
  return Buffer.from(
    Array.from(text, (ch) => {
      const code = ch.codePointAt(0) ?? 0x3f;
      const high = CP1252_HIGH.indexOf(ch);
      if (high >= 0 && !(code >= 0x80 && code <= 0x9f)) return 0x80 + high;
      return code < 0x80 || (code >= 0xa0 && code <= 0xff) ? code : 0x3f;
    }),
  );
}

export function encode(text: string, framing: Framing): Buffer {
  if (framing.encoding === 'windows-1252') return windows1252(text);
  return framing.encoding === 'utf-16le-bom' ? Buffer.from(text, 'utf16le') : Buffer.from(text, 'utf8');
}

/** One record's bytes, without its line ending. */
export function renderRecord(cells: readonly string[], framing: Framing): Buffer {
  return encode(cells.map((c) => field(c, framing)).join(framing.delimiter), framing);
}

/**
 * The bytes of a table, RFC 4180 quoted. A row in `overrides` is written as
 * those bytes instead (binary garbage, a Latin-1 line inside UTF-8).
 */
export function renderTable(table: Pick<ExportTable, 'header' | 'rows'>, framing: Framing, overrides: ReadonlyMap<number, Buffer> = new Map()): Rendered {
  const parts: Buffer[] = [];
  if (framing.encoding === 'utf-8-bom') parts.push(Buffer.from([0xef, 0xbb, 0xbf]));
  if (framing.encoding === 'utf-16le-bom') parts.push(Buffer.from([0xff, 0xfe]));
  let bytes = parts.reduce((n, p) => n + p.length, 0);
  let line = 1;
  const lineKnown = framing.lineEnding !== '\r';
  const rowLines: (number | null)[] = [];
  const rowStarts: number[] = [];
  const records = [...table.header.map((r) => ({ cells: r, row: -1 })), ...table.rows.map((cells, row) => ({ cells, row }))];
  records.forEach(({ cells, row }, k) => {
    if (row >= 0) {
      rowLines.push(lineKnown ? line : null);
      rowStarts.push(bytes);
    }
    const body = (row >= 0 ? overrides.get(row) : undefined) ?? renderRecord(cells, framing);
    const last = k === records.length - 1;
    const end = last && !framing.finalNewline ? Buffer.alloc(0) : encode(framing.lineEnding, framing);
    parts.push(body, end);
    bytes += body.length + end.length;
    // Newlines inside the record (quoted line breaks, or any in raw bytes) move the next line down.
    const inner = framing.encoding === 'utf-16le-bom' ? (body.toString('utf16le').match(/\n/g) ?? []).length : body.filter((b) => b === 0x0a).length;
    line += inner + (framing.lineEnding === '\r' ? 0 : 1);
  });
  return { bytes: Buffer.concat(parts), rowLines, rowStarts };
}
