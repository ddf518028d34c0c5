import fc from 'fast-check';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CsvFileWriter, csvField, csvLine } from './csv-writer.js';
import { readRecords } from './file-checks.case.js';

describe('csvLine', () => {
  it('quotes exactly the fields that need it (fast path agrees with the field-by-field path)', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: fc.constantFrom('a', ',', '"', '\n', '\r', ' ', 'é', '1') }), { minLength: 1, maxLength: 6 }), (fields) => {
        expect(csvLine(fields)).toBe(fields.map(csvField).join(','));
      }),
    );
    expect(csvLine(['a', 'b,c', 'say "hi"', 'two\nlines'])).toBe('a,"b,c","say ""hi""","two\nlines"');
  });
});

describe('CsvFileWriter', () => {
  it('counts physical lines, including header rows and newlines inside quoted fields, and bytes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cxray-csv-'));
    try {
      const writer = new CsvFileWriter(dir, 't.csv', ['h1,h2', 'row two of the header']);
      expect(writer.writeRecord(csvLine(['1', 'plain']))).toBe(3);
      expect(writer.writeRecord(csvLine(['2', 'first\nsecond']))).toBe(4);
      expect(writer.writeBytesRecord(Buffer.from([0x33, 0x2c, 0xff, 0x41]))).toBe(6);
      expect(writer.writeRecord(csvLine(['4', 'last']))).toBe(7);
      await writer.drain();
      const { rows, bytes } = await writer.close();
      const written = await readFile(join(dir, 't.csv'));
      expect(rows).toBe(4);
      expect(bytes).toBe(written.length);
      const records = readRecords(join(dir, 't.csv'));
      expect(records.map((r) => r.line)).toEqual([1, 2, 3, 4, 6, 7]);
      expect(records[3]?.fields).toEqual(['2', 'first\nsecond']);
      expect(records[4]?.text).toBeNull();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
