import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';

const FLUSH_CHARS = 1 << 20;
const NEEDS_QUOTES = /[",\r\n]/;

/** One CSV field, RFC 4180 quoted only when it must be. */
export function csvField(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/**
 * Fields joined into one record. Fast path: when the joined text has no
 * quote or line break and exactly one comma per separator, no field needs
 * quoting (tens of millions of rows take this path).
 */
export function csvLine(fields: readonly string[]): string {
  const line = fields.join(',');
  let commas = 0;
  for (let i = 0; i < line.length; i += 1) {
    const code = line.charCodeAt(i);
    if (code === 44) commas += 1;
    else if (code === 34 || code === 10 || code === 13) return fields.map(csvField).join(',');
  }
  return commas === fields.length - 1 ? line : fields.map(csvField).join(',');
}

function countNewlines(text: string): number {
  let count = 0;
  let at = text.indexOf('\n');
  while (at !== -1) {
    count += 1;
    at = text.indexOf('\n', at + 1);
  }
  return count;
}

/**
 * A CSV file written in ~1 MB chunks through a write stream with
 * backpressure, so memory stays flat whatever the row count. It counts
 * physical lines (header rows and newlines inside quoted fields included),
 * because truth.json names planted bad rows by the line they start on.
 */
export class CsvFileWriter {
  readonly name: string;
  readonly path: string;
  /** The physical line (1-based) the next record will start on. */
  nextLine = 1;
  /** Records written after the header rows. */
  dataRows = 0;
  bytes = 0;
  private readonly stream: WriteStream;
  private pending = '';
  private blocked = false;

  constructor(dir: string, name: string, headerLines: readonly string[]) {
    this.name = name;
    this.path = join(dir, name);
    this.stream = createWriteStream(this.path, { highWaterMark: 4 * FLUSH_CHARS });
    for (const line of headerLines) this.append(line);
  }

  /** Writes one already-encoded record (no trailing newline); returns the line it starts on. */
  writeRecord(record: string): number {
    const line = this.nextLine;
    this.append(record);
    this.dataRows += 1;
    return line;
  }

  /** Writes raw bytes as one record (for rows that are deliberately not valid UTF-8). */
  writeBytesRecord(record: Buffer): number {
    const line = this.nextLine;
    this.flush();
    const bytes = Buffer.concat([record, Buffer.from('\n')]);
    this.bytes += bytes.length;
    if (!this.stream.write(bytes)) this.blocked = true;
    this.nextLine += 1 + record.filter((byte) => byte === 0x0a).length;
    this.dataRows += 1;
    return line;
  }

  /** Waits for the disk when the stream is behind. Call often from the generating loop. */
  async drain(): Promise<void> {
    if (this.pending.length >= FLUSH_CHARS) this.flush();
    if (this.blocked) {
      this.blocked = false;
      await once(this.stream, 'drain');
    }
  }

  async close(): Promise<{ rows: number; bytes: number }> {
    this.flush();
    await new Promise<void>((resolve, reject) => {
      this.stream.once('error', reject);
      this.stream.end(() => resolve());
    });
    return { rows: this.dataRows, bytes: this.bytes };
  }

  private append(record: string): void {
    this.pending += `${record}\n`;
    this.nextLine += 1 + countNewlines(record);
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    const chunk = Buffer.from(this.pending, 'utf8');
    this.pending = '';
    this.bytes += chunk.length;
    if (!this.stream.write(chunk)) this.blocked = true;
  }
}
