/**
 * Split the first records of a CSV text (RFC 4180: `"` quotes, `""` escapes,
 * quoted newlines, CRLF or LF). Only for the small prefix `init` reads to
 * decide the delimiter and header rows; the sample itself is read by DuckDB.
 *
 * `complete` is false when the text ended inside a record (the prefix cut it):
 * that last record is dropped.
 */
export function parseCsvRecords(text: string, delimiter: string, maxRecords: number, textIsWholeFile = false): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let inQuotes = false;
  let i = 0;
  const n = text.length;
  while (i < n && records.length < maxRecords) {
    const ch = text[i];
    if (inQuotes) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        inQuotes = false;
        i++;
        continue;
      }
      field += ch;
      i++;
      continue;
    }
    if (ch === '"' && field.length === 0) {
      inQuotes = true;
      i++;
      continue;
    }
    if (text.startsWith(delimiter, i)) {
      record.push(field);
      field = '';
      i += delimiter.length;
      continue;
    }
    if (ch === '\n' || ch === '\r') {
      record.push(field);
      field = '';
      if (!(record.length === 1 && record[0] === '')) records.push(record);
      record = [];
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
      continue;
    }
    field += ch;
    i++;
  }
  if (records.length < maxRecords && textIsWholeFile && !inQuotes && (field.length > 0 || record.length > 0)) {
    record.push(field);
    records.push(record);
  }
  return records;
}
