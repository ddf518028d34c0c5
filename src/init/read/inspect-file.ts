import { open, stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import type { Engine } from '../../engine/types.js';
import { UserError } from '../../errors.js';
import { MAX_FILE_COLUMNS } from '../../ingest/read-file.js';
import { profileColumn, withAllValues } from '../shapes/profile-column.js';
import type { FileInspection } from '../types.js';
import { decodeText, detectEncoding } from './detect-encoding.js';
import { hasFooters, isFooterText } from './detect-footers.js';
import { parseCsvRecords } from './parse-csv-records.js';
import { readSampleRows, readValueCounts, unreadableFile, type CsvReadOptions } from './read-sample.js';
import { sniffDelimiter } from './sniff-delimiter.js';
import { sniffHeaderRows } from './sniff-header-rows.js';

const HEAD_BYTES = 64 * 1024;
/**
 * DuckDB's CSV reader holds about 120 KB per column (2,000 columns: 250 MB),
 * and init maps every column, so import time grows with it (2,000 columns:
 * 20 s for 60 rows). 10,000 columns ran out of init's 1 GB.
 */
/** The importer's longest record (read-file.ts max_line_size). */
const MAX_HEAD_BYTES = 16 * 1024 * 1024;
const TAIL_BYTES = 4 * 1024;
export const SAMPLE_ROWS = 500;
/** Columns with at most this many distinct sampled values get whole-file value counts. */
const LOW_CARDINALITY = 40;

export interface InspectionNotes {
  encoding: string;
  delimiter: string;
  header: string;
}

/**
 * Look at one CSV export: encoding, delimiter, header rows and footers from
 * its first and last bytes; a sample of rows read by DuckDB with explicit
 * options; a profile of every column; whole-file value counts for columns
 * with few distinct values (so value maps cover every value, not only the
 * sampled ones).
 */
export async function inspectFile(path: string, engine: Engine): Promise<{ inspection: FileInspection; notes: InspectionNotes }> {
  const absolute = resolve(path);
  const fileName = basename(absolute);
  let headBytes = HEAD_BYTES;
  let { head, tail, size } = await readEnds(absolute, headBytes);
  // A header longer than the head (thousands of columns), or a first row
  // with a huge field: read on until the first records are whole.
  while (size > headBytes && headBytes < MAX_HEAD_BYTES && parseCsvRecords(decodeText(head, detectEncoding(head)), ',', 3).length < 3) {
    headBytes *= 4;
    ({ head, tail, size } = await readEnds(absolute, headBytes));
  }
  if (size === 0) {
    throw new UserError('input_empty', `${fileName} is empty (0 bytes).`, {
      hint: 'Export the data again, or leave this file out of --from.',
      file: absolute,
    });
  }
  const encoding = detectEncoding(head);
  const headText = decodeText(head, encoding);
  const whole = size <= headBytes;
  const tailText = whole ? headText : decodeText(alignTail(tail, encoding.encoding), { ...encoding, bomLength: 0 });
  const delimiter = sniffDelimiter(headText, whole);
  const records = parseCsvRecords(headText, delimiter.delimiter, 40, whole);
  if (records.length === 0 || records[0]?.every((c) => c.trim() === '')) {
    throw new UserError('input_empty', `${fileName} has no header row.`, {
      hint: 'Export the data again with column headers, or leave this file out of --from.',
      file: absolute,
    });
  }
  const header = sniffHeaderRows(records);
  if (header.names.length > MAX_FILE_COLUMNS) {
    throw new UserError('input_too_wide', `${fileName} has ${header.names.length} columns; cxray init reads at most ${MAX_FILE_COLUMNS}.`, {
      hint: 'Export only the columns you need (a customer id, dates, amounts, a few attributes), or write its source in cxray.yaml by hand.',
      file: absolute,
      line: 1,
    });
  }
  const dropFooters = hasFooters(tailText);
  const options: CsvReadOptions = {
    path: absolute,
    delimiter: delimiter.delimiter,
    encoding: encoding.encoding,
    skip: header.headerRows,
    columnCount: header.names.length,
  };
  const rows = (await readSampleRows(engine, options, SAMPLE_ROWS).catch((error: unknown) => Promise.reject(unreadableFile(error, absolute)))).filter(
    (row) => !(isFooterText(row[0]) && row.slice(1).every((c) => c === null || c.trim() === '')),
  );
  if (rows.length === 0) {
    throw new UserError('input_no_rows', `${fileName} has a header but no data rows.`, {
      hint: "Export it again with rows included (check the export's date range and filters), or leave this file out of --from.",
      file: absolute,
    });
  }
  let columns = header.names.map((name, index) =>
    profileColumn({
      index,
      name,
      description: header.descriptions?.[index],
      importId: header.importIds?.[index],
      timeZone: header.timeZones?.[index],
      cells: rows.map((r) => r[index] ?? null),
    }),
  );
  const lowCardinality = columns.filter((c) => c.distinct > 0 && c.distinct <= LOW_CARDINALITY).map((c) => c.index);
  const counts = await readValueCounts(engine, options, lowCardinality).catch((error: unknown) => Promise.reject(unreadableFile(error, absolute)));
  columns = columns.map((c) => {
    const all = counts.get(c.index);
    return all === undefined ? c : withAllValues(c, all.filter((v) => !isFooterText(v.value)));
  });
  const nullValues = [...new Set(columns.flatMap((c) => c.whitespaceOnly))];
  return {
    inspection: {
      path: absolute,
      fileName,
      encoding: encoding.encoding,
      bom: encoding.bomLength > 0,
      delimiter: delimiter.delimiter,
      headerRows: header.headerRows,
      namesRow: header.namesRow,
      mergeHeaderRows: header.mergeHeaderRows,
      dropFooters,
      nullValues,
      columns,
      sampleSize: rows.length,
    },
    notes: { encoding: encoding.note, delimiter: delimiter.note, header: header.note },
  };
}

async function readEnds(path: string, headBytes: number): Promise<{ head: Uint8Array; tail: Uint8Array; size: number }> {
  let size: number;
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw new UserError('input_unreadable', `${path} is a folder, not a file.`, { file: path });
    size = info.size;
  } catch (error) {
    if (error instanceof UserError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new UserError(code === 'ENOENT' ? 'input_missing' : 'input_unreadable', code === 'ENOENT' ? `File not found: ${path}` : `Cannot read ${path}: ${(error as Error).message}`, {
      hint: code === 'ENOENT' ? 'Check the path given to --from (files or folders).' : 'Check that the file is readable by you.',
      file: path,
      cause: error,
    });
  }
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw new UserError('input_unreadable', `Cannot read ${path}: ${(error as Error).message}`, {
      hint: 'Check that the file is readable by you.',
      file: path,
      cause: error,
    });
  }
  try {
    const head = new Uint8Array(Math.min(size, headBytes));
    await handle.read(head, 0, head.length, 0);
    const tailLength = Math.min(size, TAIL_BYTES);
    const tail = new Uint8Array(tailLength);
    await handle.read(tail, 0, tailLength, size - tailLength);
    return { head, tail, size };
  } finally {
    await handle.close();
  }
}

/** A UTF-16 tail must start on a code unit boundary (the file length is even). */
function alignTail(tail: Uint8Array, encoding: string): Uint8Array {
  return encoding === 'utf-16' && tail.length % 2 === 1 ? tail.subarray(1) : tail;
}
