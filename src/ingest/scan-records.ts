import { createReadStream } from 'node:fs';

/**
 * One pass over a delimited file's bytes that finds record boundaries, so
 * that every record DuckDB reads (or rejects, or silently drops) can be tied
 * to the physical line a person sees in an editor.
 *
 * Why by hand: DuckDB's reader reports rejected rows by record ordinal (a
 * quoted field spanning lines counts once, a blank line counts), gives no
 * position for accepted rows, and drops an unterminated quoted record at the
 * end of a file without a reject. This scan is not a CSV parser: it only
 * tracks quote parity and newlines, which is enough to number records.
 *
 * A "unit" is the text between two unquoted newlines (a record, or a blank
 * line). Units are numbered from 1, header rows included, exactly as DuckDB
 * numbers `line` in its reject table.
 */
export interface RecordScan {
  /** Total units, header units included. */
  units: number;
  /** Units that are blank (no characters but an optional `\r`). */
  blankUnits: number[];
  /**
   * Units that start after a unit spanning several physical lines, with the
   * number of extra newlines seen before them: physical line of unit u is
   * u + extra, where extra is taken from the last entry with unit <= u.
   */
  lineBreakpoints: { unit: number; extra: number }[];
  /** The first unit of a quoted field never closed (runs to the end of the file), if any. */
  unterminatedFromUnit: number | null;
  /** Byte offset where that unit starts. */
  unterminatedFromByte: number | null;
  /** Raw bytes of the first `headerUnits` units (decoded by the caller). */
  headerBytes: Buffer[];
  /** How records end: the first unquoted line ending sets it (`\r` alone: old Mac files). */
  lineEnding: LineEnding | null;
  /**
   * The first unit ending otherwise (a bare `\r` in an `\n` file, an `\n`
   * after `\r\n` lines): DuckDB's strict reader refuses such a file whole.
   */
  lineEndingChange: { unit: number; ending: LineEnding } | null;
  /**
   * The first line break of the file, quoted or not. DuckDB guesses the line
   * ending from it: when a quoted break in the header differs from the
   * records' endings, it reads no record at all unless told.
   */
  firstBreak: LineEnding | null;
  /** Bytes of the file. */
  bytes: number;
}

export interface ScanOptions {
  quote: string;
  escape?: string | undefined;
  encoding: 'utf-8' | 'latin-1' | 'windows-1252' | 'utf-16';
  headerUnits: number;
  /** Keep the raw bytes of these units (1-based), e.g. for an unterminated tail. */
}

export type LineEnding = 'lf' | 'crlf' | 'cr';

/** UTF-16LE code units: the byte scan steps two bytes at a time. */
function unitWidth(encoding: ScanOptions['encoding']): 1 | 2 {
  return encoding === 'utf-16' ? 2 : 1;
}

export async function scanRecords(path: string, options: ScanOptions): Promise<RecordScan> {
  const width = unitWidth(options.encoding);
  const quote = options.quote.length > 0 ? options.quote.charCodeAt(0) : -1;
  const escape = options.escape !== undefined && options.escape !== options.quote && options.escape.length > 0 ? options.escape.charCodeAt(0) : -1;
  const NL = 0x0a;
  const CR = 0x0d;

  let unit = 1;
  let unitLength = 0; // code units in the current unit, excluding newline
  let unitOnlyCr = true;
  let inQuote = false;
  let extra = 0;
  let unitStartExtra = 0;
  let quoteOpenedInUnit = 0;
  let unitStartByte = 0;
  let quoteOpenedAtByte = 0;
  let position = 0; // byte offset of the code unit being stepped
  let previousEscape = false;
  const blankUnits: number[] = [];
  const lineBreakpoints: { unit: number; extra: number }[] = [];
  const headerChunks: number[][] = [[]];
  let bytes = 0;
  let carry: number | null = null; // odd byte carried between chunks for UTF-16
  let first = true;
  let lineEnding: LineEnding | null = null;
  let lineEndingChange: RecordScan['lineEndingChange'] = null;
  // An unquoted \r ends a record only when no \n follows it: decided at the next code unit.
  let pendingCr = false;
  let firstBreak: LineEnding | null = null;
  let firstBreakCr = false;

  const stream = createReadStream(path, { highWaterMark: 1 << 20 });
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    let start = 0;
    if (first) {
      first = false;
      if (width === 2 && chunk[0] === 0xff && chunk[1] === 0xfe) start = 2;
      else if (width === 1 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) start = 3;
    }
    let i = start;
    if (carry !== null && width === 2) {
      // Reassemble a code unit split across chunks.
      const code = carry | ((chunk[0] ?? 0) << 8);
      carry = null;
      i = 1;
      position = bytes - chunk.length - 1;
      step(code);
    }
    for (; i < chunk.length; i += width) {
      if (width === 2) {
        if (i + 1 >= chunk.length) {
          carry = chunk[i] ?? 0;
          break;
        }
        position = bytes - chunk.length + i;
        step((chunk[i] ?? 0) | ((chunk[i + 1] ?? 0) << 8));
      } else {
        position = bytes - chunk.length + i;
        step(chunk[i] ?? 0);
      }
    }
  }
  if (pendingCr) {
    pendingCr = false;
    ended('cr');
    if (lineEnding === 'cr') endUnit(bytes);
  }
  // A final unit without a trailing newline.
  if (unitLength > 0 || inQuote) {
    if (inQuote) {
      return finish(quoteOpenedInUnit, quoteOpenedAtByte);
    }
    if (unitOnlyCr && unitLength > 0) blankUnits.push(unit);
  } else {
    unit -= 1; // the file ended with a newline: no further unit
  }
  return finish(null, null);

  function finish(unterminatedFromUnit: number | null, unterminatedFromByte: number | null): RecordScan {
    return {
      units: unit,
      blankUnits,
      lineBreakpoints,
      unterminatedFromUnit,
      unterminatedFromByte,
      headerBytes: headerChunks.slice(0, options.headerUnits).map((codes) => encodeUnit(codes, width)),
      bytes,
      lineEnding,
      lineEndingChange,
      firstBreak: firstBreak ?? (firstBreakCr ? 'cr' : null),
    };
  }

  /** The current unit ends with `ending`; the first ending of the file sets the style. */
  function ended(ending: LineEnding): void {
    if (lineEnding === null) lineEnding = ending;
    else if (ending !== lineEnding && lineEndingChange === null) lineEndingChange = { unit, ending };
  }

  function endUnit(nextUnitStartByte: number): void {
    if (unitOnlyCr) blankUnits.push(unit);
    unit += 1;
    if (unit <= options.headerUnits) headerChunks.push([]);
    if (extra !== unitStartExtra) lineBreakpoints.push({ unit, extra });
    unitStartExtra = extra;
    unitLength = 0;
    unitOnlyCr = true;
    previousEscape = false;
    unitStartByte = nextUnitStartByte;
  }

  function step(code: number): void {
    if (firstBreak === null) {
      if (firstBreakCr) firstBreak = code === NL ? 'crlf' : 'cr';
      else if (code === NL) firstBreak = 'lf';
      else if (code === CR) firstBreakCr = true;
    }
    const afterCr = pendingCr;
    pendingCr = false;
    if (afterCr && code !== NL) {
      ended('cr');
      // Old Mac files end records with \r alone: this code unit starts the next record.
      if (lineEnding === 'cr') endUnit(position);
    }
    if (unit <= options.headerUnits) headerChunks[unit - 1]?.push(code);
    if (code === NL && !inQuote) {
      ended(afterCr ? 'crlf' : 'lf');
      endUnit(position + width);
      return;
    }
    // A line break inside a quoted field: the next record starts a line further down.
    if (inQuote && code === (lineEnding === 'cr' ? CR : NL)) extra += 1;
    unitLength += 1;
    if (code !== CR) unitOnlyCr = false;
    if (code === escape && !previousEscape) {
      previousEscape = true;
      return;
    }
    if (code === quote && !previousEscape) {
      if (!inQuote) {
        quoteOpenedInUnit = unit;
        quoteOpenedAtByte = unitStartByte;
      }
      inQuote = !inQuote;
    }
    previousEscape = false;
    if (code === CR && !inQuote) pendingCr = true;
  }
}

function encodeUnit(codes: number[], width: 1 | 2): Buffer {
  if (width === 1) return Buffer.from(codes);
  const buf = Buffer.alloc(codes.length * 2);
  codes.forEach((c, k) => buf.writeUInt16LE(c, k * 2));
  return buf;
}

/** Physical line (1-based) of a unit, from the breakpoints. */
export function lineOfUnit(scan: Pick<RecordScan, 'lineBreakpoints'>, unit: number): number {
  let lo = 0;
  let hi = scan.lineBreakpoints.length - 1;
  let extra = 0;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const bp = scan.lineBreakpoints[mid];
    if (bp !== undefined && bp.unit <= unit) {
      extra = bp.extra;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return unit + extra;
}
