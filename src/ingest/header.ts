import type { CsvOptions } from '../config/schema.js';

/** Text of a header unit in the file's encoding, without BOM or line ending. */
export function decodeUnit(bytes: Buffer, encoding: CsvOptions['encoding']): string {
  const text =
    encoding === 'utf-16' ? bytes.toString('utf16le') : encoding === 'latin-1' ? bytes.toString('latin1') : encoding === 'windows-1252' ? new TextDecoder('windows-1252').decode(bytes) : bytes.toString('utf8');
  return text.replace(/^\uFEFF/, '').replace(/\r?\n$/, '').replace(/\r$/, '');
}

/**
 * Split one header record into fields (RFC 4180 quoting). Only header rows go
 * through here: data rows are read by DuckDB.
 */
export function splitHeaderFields(line: string, delimiter: string, quote: string): string[] {
  const fields: string[] = [];
  let field = '';
  let inQuote = false;
  for (let i = 0; i < line.length; i += 1) {
    const ch = line[i] as string;
    if (inQuote) {
      if (ch === quote) {
        if (line[i + 1] === quote) {
          field += quote;
          i += 1;
        } else inQuote = false;
      } else field += ch;
    } else if (ch === quote && field.length === 0) {
      inQuote = true;
    } else if (line.startsWith(delimiter, i)) {
      fields.push(field);
      field = '';
      i += delimiter.length - 1;
    } else field += ch;
  }
  fields.push(field);
  return fields;
}

/** Header names are matched case- and whitespace-insensitively. */
export function normaliseHeader(name: string): string {
  return name.trim().replace(/\s+/g, ' ').toLowerCase();
}

/**
 * Column names from the header rows: the names row, or (SurveyMonkey) the
 * first row forward-filled and joined with the second.
 */
export function headerNames(rows: string[][], options: Pick<CsvOptions, 'names_row' | 'merge_header_rows'>): string[] {
  const names = rows[options.names_row - 1] ?? [];
  if (!options.merge_header_rows) return names.map((n) => n.trim());
  const sub = rows[options.names_row] ?? [];
  let last = '';
  return names.map((n, i) => {
    const top = n.trim().length > 0 ? n.trim() : last;
    last = top;
    const below = (sub[i] ?? '').trim();
    return below.length > 0 && below !== top ? `${top} - ${below}` : top;
  });
}
