import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbEngine } from '../../engine/duckdb/engine.js';
import { decodeText, detectEncoding } from './detect-encoding.js';
import { hasFooters, isFooterText } from './detect-footers.js';
import { inspectFile } from './inspect-file.js';
import { parseCsvRecords } from './parse-csv-records.js';
import { sniffDelimiter } from './sniff-delimiter.js';
import { mergeHeaderNames, sniffHeaderRows } from './sniff-header-rows.js';

const bytes = (...b: number[]): Uint8Array => new Uint8Array(b);
const utf16le = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'utf16le'));

describe('detectEncoding', () => {
  it('reads byte-order marks', () => {
    expect(detectEncoding(bytes(0xef, 0xbb, 0xbf, 0x61))).toMatchObject({ encoding: 'utf-8', bomLength: 3 });
    expect(detectEncoding(bytes(0xff, 0xfe, 0x61, 0x00))).toMatchObject({ encoding: 'utf-16', bomLength: 2 });
  });
  it('finds UTF-16LE without a BOM by its zero bytes, Windows-1252 (Latin-1 text and more) by invalid UTF-8', () => {
    expect(detectEncoding(utf16le('a,b\nc,d\n')).encoding).toBe('utf-16');
    expect(detectEncoding(bytes(0x4a, 0x6f, 0x73, 0xe9, 0x2c, 0x31)).encoding).toBe('windows-1252');
    expect(detectEncoding(new Uint8Array(Buffer.from('José,1'))).encoding).toBe('utf-8');
  });
  it('keeps UTF-8 when only a line or two is broken, Windows-1252 when accents break many lines', () => {
    const lines = Array.from({ length: 120 }, (_, i) => `${i},Café ${i}\n`).join('');
    const broken = Buffer.concat([Buffer.from(lines), Buffer.from([0x31, 0x2c, 0x43, 0x61, 0x66, 0xff, 0xfe, 0x0a])]);
    const guess = detectEncoding(new Uint8Array(broken));
    expect(guess.encoding).toBe('utf-8');
    expect(guess.note).toContain('1 line(s)');
    const latin = Buffer.from(Array.from({ length: 120 }, (_, i) => `${i},Müller ${i}\n`).join(''), 'latin1');
    expect(detectEncoding(new Uint8Array(latin)).encoding).toBe('windows-1252');
  });
  // Found by the hostile-file run (src/fuzz): a UTF-8 file with a few Latin-1
  // lines was guessed Latin-1, which DuckDB then refused (É is C3 89: 0x89 is no Latin-1 character to it).
  it('keeps UTF-8 when Latin-1 lines are many but the UTF-8 ones hold bytes DuckDB cannot read as Latin-1', () => {
    const utf8 = Array.from({ length: 60 }, (_, i) => `${i},Émile ${i}\n`).join('');
    const latin = Buffer.from(Array.from({ length: 3 }, (_, i) => `${60 + i},Müller\n`).join(''), 'latin1');
    const guess = detectEncoding(new Uint8Array(Buffer.concat([Buffer.from(utf8), latin])));
    expect(guess.encoding).toBe('utf-8');
    expect(guess.note).toContain('3 line(s)');
  });
  it('tolerates a multi-byte character cut at the end of the prefix', () => {
    const cut = new Uint8Array(Buffer.from('abc é')).subarray(0, 5);
    expect(detectEncoding(cut).encoding).toBe('utf-8');
  });
  it('decodes after the BOM', () => {
    const data = new Uint8Array([0xff, 0xfe, ...utf16le('Star Rating')]);
    expect(decodeText(data, detectEncoding(data))).toBe('Star Rating');
  });
});

describe('parseCsvRecords and sniffDelimiter', () => {
  it('handles quotes, escaped quotes, quoted newlines and CRLF', () => {
    const text = 'a,"b, c","say ""hi"""\r\n1,"two\nlines",3\r\n';
    expect(parseCsvRecords(text, ',', 10, true)).toEqual([
      ['a', 'b, c', 'say "hi"'],
      ['1', 'two\nlines', '3'],
    ]);
  });
  it('drops a record cut by the end of the prefix', () => {
    expect(parseCsvRecords('a,b\n1,2\n3,', ',', 10, false)).toEqual([['a', 'b'], ['1', '2']]);
  });
  it('picks the delimiter that splits rows consistently', () => {
    expect(sniffDelimiter('"age";"job";"y"\n30;"admin.";"no"\n', true).delimiter).toBe(';');
    expect(sniffDelimiter('a\tb\tc\n1\t2,5\t3\n', true).delimiter).toBe('\t');
    expect(sniffDelimiter('a|b\n1|2\n', true).delimiter).toBe('|');
    expect(sniffDelimiter('Name,Note\n"Lee; Kim","x; y"\n', true).delimiter).toBe(',');
  });
});

describe('sniffHeaderRows', () => {
  it('detects the Qualtrics three-row header with question texts and ImportIds', () => {
    const guess = sniffHeaderRows([
      ['ResponseId', 'Q1'],
      ['Response ID', 'How likely are you to recommend us?'],
      ['{"ImportId":"_recordId"}', '{"ImportId":"QID1"}'],
      ['R_abc', '9'],
    ]);
    expect(guess).toMatchObject({ headerRows: 3, namesRow: 1, names: ['ResponseId', 'Q1'], importIds: ['_recordId', 'QID1'] });
    expect(guess.descriptions?.[1]).toBe('How likely are you to recommend us?');
  });
  it('detects SurveyMonkey two rows and merges them', () => {
    const guess = sniffHeaderRows([
      ['Respondent ID', 'Rate us:', '', 'Why?'],
      ['', 'Price', 'Support', 'Open-Ended Response'],
      ['1', '4', '5', 'ok'],
    ]);
    expect(guess).toMatchObject({ headerRows: 2, mergeHeaderRows: true });
    expect(guess.names).toEqual(['Respondent ID', 'Rate us: - Price', 'Rate us: - Support', 'Why? - Open-Ended Response']);
    expect(mergeHeaderNames(['a', '', 'b'], ['', 'x', ''])).toEqual(['a', 'a - x', 'b']);
  });
  it('keeps one header row otherwise', () => {
    expect(sniffHeaderRows([['id', 'amount'], ['1', '2']]).headerRows).toBe(1);
  });
});

describe('footers', () => {
  it('recognises Salesforce report footers', () => {
    expect(isFooterText('"Grand Totals (12 records)"')).toBe(true);
    expect(isFooterText('Confidential Information - Do Not Distribute')).toBe(true);
    expect(isFooterText('Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved.')).toBe(true);
    expect(isFooterText('Grand Canyon trip')).toBe(false);
    expect(hasFooters('a,b\n1,2\n\n"Grand Totals (1 records)"\n')).toBe(true);
    expect(hasFooters('a,b\n1,2\n')).toBe(false);
  });
});

describe('inspectFile', () => {
  let dir: string;
  let engine: DuckDbEngine;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cxray-inspect-'));
    engine = await DuckDbEngine.open(':memory:', { memoryLimit: '256MB', threads: 1 });
  });
  afterAll(async () => {
    await engine.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('reads a Latin-1, semicolon file with decimal commas through DuckDB', async () => {
    const path = join(dir, 'latin1.csv');
    await writeFile(path, Buffer.from('Kunde;Betrag;Datum\nJosé;"1.234,56";31.12.2024\nMüller;"0,25";01.02.2025\n', 'latin1'));
    const { inspection } = await inspectFile(path, engine);
    expect(inspection).toMatchObject({ encoding: 'windows-1252', delimiter: ';', headerRows: 1, sampleSize: 2 });
    const [kunde, betrag, datum] = inspection.columns;
    expect(kunde?.values).toEqual(['José', 'Müller']);
    expect(betrag?.number).toMatchObject({ decimal: ',', min: 0.25, max: 1234.56 });
    expect(datum?.date?.format).toBe('dmy');
  });

  it('reads UTF-16LE, counts values over the whole file and finds blank-looking cells', async () => {
    const path = join(dir, 'u16.csv');
    const rows = ['id\tplan\ttotal', ...Array.from({ length: 700 }, (_, i) => `${i + 1}\t${i === 650 ? 'gold' : 'basic'}\t${i === 3 ? ' ' : '9.50'}`)];
    await writeFile(path, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`${rows.join('\r\n')}\r\n`, 'utf16le')]));
    const { inspection } = await inspectFile(path, engine);
    expect(inspection).toMatchObject({ encoding: 'utf-16', bom: true, delimiter: '\t', sampleSize: 500, nullValues: [' '] });
    // "gold" lies beyond the 500 sampled rows: the whole-file count still finds it.
    expect(inspection.columns[1]?.allValues).toEqual([
      { value: 'basic', count: 699 },
      { value: 'gold', count: 1 },
    ]);
    expect(inspection.columns[2]?.number).toBeDefined();
  });

  // Found by the hostile-file run (src/fuzz): a header longer than the 64 KB
  // head made init say the file "has no header row".
  it('reads a header longer than the first 64 KB (thousands of columns)', async () => {
    const path = join(dir, 'wide.csv');
    const names = ['id', ...Array.from({ length: 700 }, (_, i) => `a_rather_long_custom_field_name_${i + 1}_${'x'.repeat(60)}`)];
    await writeFile(path, `${names.join(',')}\n${names.map((_, i) => i).join(',')}\n${names.map((_, i) => i + 1).join(',')}\n`);
    const { inspection } = await inspectFile(path, engine);
    expect(inspection.columns).toHaveLength(701);
    expect(inspection.columns[700]?.name).toBe(`a_rather_long_custom_field_name_700_${'x'.repeat(60)}`);
    expect(inspection.sampleSize).toBe(2);
  });

  // Found by the hostile-file run: 10,000 columns ran DuckDB out of init's memory (a query error, not a user error).
  it('refuses more columns than it can map, naming the count', async () => {
    const path = join(dir, 'too-wide.csv');
    const names = Array.from({ length: 2049 }, (_, i) => `c${i}`);
    await writeFile(path, `${names.join(',')}\n${names.map(() => '1').join(',')}\n`);
    await expect(inspectFile(path, engine)).rejects.toMatchObject({ code: 'input_too_wide', file: path, line: 1, message: expect.stringContaining('2049 columns') as unknown });
  });

  // Found by the hostile-file run: bytes DuckDB's Latin-1 decoder refuses
  // (0x80-0x9F, Windows-1252's euro sign and curly quotes) crashed init with a
  // query error; then they were refused as unreadable; now they are read as Windows-1252.
  it('reads a Windows-1252 file: the euro sign and curly quotes DuckDB cannot decode', async () => {
    const path = join(dir, 'cp1252.csv');
    await writeFile(path, Buffer.concat([Buffer.from('id,note\n1,price 5'), Buffer.from([0x80, 0x20, 0x93]), Buffer.from('ok'), Buffer.from([0x94]), Buffer.from('\n2,caf'), Buffer.from([0xe9]), Buffer.from('\n')]));
    const { inspection, notes } = await inspectFile(path, engine);
    expect(inspection.encoding).toBe('windows-1252');
    expect(notes.encoding).toContain('Windows-1252');
    expect(inspection.columns[1]?.values).toEqual(['price 5€ “ok”', 'café']);
  });

  // Found by the hostile-file run: DuckDB 1.5.6's parallel reader refused
  // null_padding when a buffer boundary fell among quoted line breaks (a query
  // error in init); this field length puts one there.
  it('reads a large file with multi-line quoted text', async () => {
    const path = join(dir, 'multiline.csv');
    await writeFile(path, `id,note\n1,"${'line\nbreak '.repeat(101_213)}"\n2,short\n`);
    const { inspection } = await inspectFile(path, engine);
    expect(inspection.sampleSize).toBe(2);
    expect(inspection.columns[1]?.values[1]).toBe('short');
  });

  it('drops report footers from the sample', async () => {
    const path = join(dir, 'report.csv');
    await writeFile(path, 'Case Number,Status\n001,Closed\n002,New\n\n"Grand Totals (2 records)"\n"Confidential Information - Do Not Distribute"\n');
    const { inspection } = await inspectFile(path, engine);
    expect(inspection.dropFooters).toBe(true);
    expect(inspection.sampleSize).toBe(2);
    expect(inspection.columns[0]?.values).toEqual(['001', '002']);
  });
});
