import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvOptionsSchema } from '../config/schema.js';
import { DuckDbEngine } from '../engine/duckdb/engine.js';
import { MAX_FILE_COLUMNS, readDelimitedFile, stepFunctionSql } from './read-file.js';

let engine: DuckDbEngine;
const dir = mkdtempSync(join(tmpdir(), 'cxray-read-'));
beforeAll(async () => {
  engine = await DuckDbEngine.open(':memory:');
});
afterAll(async () => {
  await engine.close();
});

function file(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

async function rows(table: string): Promise<Record<string, unknown>[]> {
  return engine.query(`SELECT * FROM ${engine.dialect.quoteIdent(table)} ORDER BY _unit`);
}

describe('readDelimitedFile', () => {
  it('ties every record to its physical line: multi-line fields, blank lines, rejects, an unterminated quote at the end', async () => {
    const path = file(
      'mixed.csv',
      Buffer.concat([
        Buffer.from('id,name,amount\n1,alice,10\n2,"bob\nsmith",20\n\n3,carol,30,extra\n4,dave\n5,"eve",50\n6,fr'),
        Buffer.from([0xff]),
        Buffer.from('ed,60\n7,gina,70\n8,"unterminated,80\n'),
      ]),
    );
    const raw = await readDelimitedFile(engine, path, 'mixed.csv', csvOptionsSchema.parse({}), 'raw_mixed');
    expect(raw.names).toEqual(['id', 'name', 'amount']);
    expect(raw.accepted).toBe(4);
    expect(raw.read).toBe(8);
    expect(raw.linesApproximate).toBe(false);
    const accepted = await rows('raw_mixed');
    expect(accepted.map((r) => [r['c1'], r['_line']])).toEqual([
      ['1', 2n],
      ['2', 3n],
      ['5', 8n],
      ['7', 10n],
    ]);
    expect(raw.rejected.map((r) => [r.line, r.reason])).toEqual([
      [6, 'wrong_column_count'],
      [7, 'wrong_column_count'],
      [9, 'bad_encoding'],
      [11, 'unterminated_quote'],
    ]);
    expect(raw.rejected[3]?.raw).toBe('8,"unterminated,80\n');
  });

  it('maps lines the same with the CASE tree and with the ASOF join', async () => {
    // Every third record spans two lines, every fifth is rejected, every seventh line is blank.
    let text = 'id,note,amount\n';
    for (let i = 1; i <= 300; i += 1) {
      if (i % 7 === 0) text += '\n';
      text += i % 5 === 0 ? `${i},short\n` : i % 3 === 0 ? `${i},"two\nlines",${i}\n` : `${i},one,${i}\n`;
    }
    const path = file('many-breaks.csv', text);
    const opts = csvOptionsSchema.parse({});
    const inline = await readDelimitedFile(engine, path, 'many-breaks.csv', opts, 'raw_inline');
    const joined = await readDelimitedFile(engine, path, 'many-breaks.csv', opts, 'raw_joined', { inlineBreakpoints: 0 });
    expect(inline.accepted).toBe(240);
    expect(joined.rejected).toEqual(inline.rejected);
    const a = await rows('raw_inline');
    expect(a).toEqual(await rows('raw_joined'));
    // Record 3 is on line 4 (after the header and records 1-2); record 4 follows record 3's two lines.
    expect(a.slice(0, 4).map((r) => [r['c1'], r['_unit'], r['_line']])).toEqual([
      ['1', 2n, 2n],
      ['2', 3n, 3n],
      ['3', 4n, 4n],
      ['4', 5n, 6n],
    ]);
  });

  it('evaluates a step function as the last breakpoint at or below x', async () => {
    const points = [
      { at: 3, value: 1 },
      { at: 4, value: 2 },
      { at: 10, value: 5 },
      { at: 11, value: 6 },
      { at: 20, value: 9 },
    ];
    const expected = (x: number): number => points.filter((p) => p.at <= x).at(-1)?.value ?? 0;
    const got = await engine.query<{ x: bigint; y: number }>(`SELECT range AS x, ${stepFunctionSql('range', points)} AS y FROM range(0, 25) ORDER BY x`);
    expect(got.map((r) => r.y)).toEqual(Array.from({ length: 25 }, (_, x) => expected(x)));
    expect(stepFunctionSql('x', [])).toBe('0');
  });

  it('handles CRLF, a UTF-8 BOM and three header rows (Qualtrics)', async () => {
    const path = file(
      'qualtrics.csv',
      '\uFEFFStartDate,ResponseId,Q1\r\nStart Date,Response ID,"How likely are you to recommend us?"\r\n{"ImportId":"startDate"},{"ImportId":"_recordId"},{"ImportId":"QID1"}\r\n2026-01-01,R_1,9\r\n2026-01-02,R_2,3\r\n',
    );
    const raw = await readDelimitedFile(engine, path, 'qualtrics.csv', csvOptionsSchema.parse({ header_rows: 3 }), 'raw_q');
    expect(raw.names).toEqual(['StartDate', 'ResponseId', 'Q1']);
    expect((await rows('raw_q')).map((r) => [r['c2'], r['_line']])).toEqual([
      ['R_1', 4n],
      ['R_2', 5n],
    ]);
  });

  it('reads UTF-16LE with BOM and Latin-1', async () => {
    const utf16 = file('play.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Star Rating,Review Text\n5,Très bien\n1,"bad\nreally"\n', 'utf16le')]));
    const raw16 = await readDelimitedFile(engine, utf16, 'play.csv', csvOptionsSchema.parse({ encoding: 'utf-16' }), 'raw_16');
    expect(raw16.names).toEqual(['Star Rating', 'Review Text']);
    expect((await rows('raw_16')).map((r) => [r['c2'], r['_line']])).toEqual([
      ['Très bien', 2n],
      ['bad\nreally', 3n],
    ]);
    const latin = file('latin.csv', Buffer.from('name;city\nJosé;Málaga\n', 'latin1'));
    await readDelimitedFile(engine, latin, 'latin.csv', csvOptionsSchema.parse({ encoding: 'latin-1', delimiter: ';' }), 'raw_l');
    expect((await rows('raw_l'))[0]?.['c2']).toBe('Málaga');
  });

  it('drops report footers as footers, not as quarantine', async () => {
    const path = file('sf.csv', 'Case Number,Subject\n00001,Help\n\n"Grand Totals (1 records)"\n"Confidential Information - Do Not Distribute"\n');
    const raw = await readDelimitedFile(engine, path, 'sf.csv', csvOptionsSchema.parse({ drop_footers: true }), 'raw_sf');
    expect(raw.accepted).toBe(1);
    expect(raw.rejected.map((r) => [r.line, r.footer])).toEqual([
      [4, true],
      [5, true],
    ]);
  });

  it('refuses a file wider than it reads, naming the columns, the line and the fix', async () => {
    const names = Array.from({ length: MAX_FILE_COLUMNS + 1 }, (_, i) => `c${i}`);
    const path = file('wide.csv', `${names.join(',')}\n${names.map(() => '1').join(',')}\n`);
    await expect(readDelimitedFile(engine, path, 'wide.csv', csvOptionsSchema.parse({}), 'w1')).rejects.toMatchObject({
      code: 'source_too_wide',
      file: 'wide.csv',
      line: 1,
      message: expect.stringContaining('2,049 columns') as unknown,
      hint: expect.stringContaining('Export only the columns') as unknown,
    });
    const fits = file('fits.csv', `${names.slice(1).join(',')}\n${names.slice(1).map(() => '1').join(',')}\n`);
    expect((await readDelimitedFile(engine, fits, 'fits.csv', csvOptionsSchema.parse({}), 'w2')).names).toHaveLength(MAX_FILE_COLUMNS);
  });

  it('names the file and the fix for empty, header-only and wrongly delimited files', async () => {
    const opts = csvOptionsSchema.parse({});
    await expect(readDelimitedFile(engine, file('empty.csv', ''), 'empty.csv', opts, 'e1')).rejects.toMatchObject({ code: 'source_empty', file: 'empty.csv' });
    await expect(readDelimitedFile(engine, file('head.csv', 'a,b\n'), 'head.csv', opts, 'e2')).rejects.toMatchObject({ code: 'source_header_only' });
    await expect(readDelimitedFile(engine, file('semi.csv', 'a;b;c\n1;2;3\n'), 'semi.csv', opts, 'e3')).rejects.toMatchObject({
      code: 'wrong_delimiter',
      hint: expect.stringContaining('";"') as unknown,
    });
    await expect(readDelimitedFile(engine, join(dir, 'nope.csv'), 'nope.csv', opts, 'e4')).rejects.toMatchObject({ code: 'source_missing' });
  });

  // Found by the hostile-file run (src/fuzz): init read a \r-only file, import called it header-only.
  it('reads old Mac files whose records end with \\r alone, lines counted by \\r', async () => {
    const path = file('mac.csv', 'id,note\r1,a\r2,"two\rlines"\r\r3,c\r');
    const raw = await readDelimitedFile(engine, path, 'mac.csv', csvOptionsSchema.parse({}), 'raw_mac');
    expect(raw.names).toEqual(['id', 'note']);
    expect(raw.read).toBe(3);
    expect((await rows('raw_mac')).map((r) => [r['c1'], r['c2'], r['_line']])).toEqual([
      ['1', 'a', 2n],
      ['2', 'two\rlines', 3n],
      ['3', 'c', 6n],
    ]);
  });

  // Found by the hostile-file run: DuckDB's strict reader refuses a file whose line endings change; say so, with the line.
  it('names the line where the line endings change', async () => {
    const opts = csvOptionsSchema.parse({});
    for (const [name, content, line] of [
      ['crlf-then-lf.csv', 'id,note\r\n1,a\r\n2,b\n3,c\r\n', 3],
      ['bare-cr.csv', 'id,note\n1,a\n2,b\rc\n', 3],
    ] as const) {
      await expect(readDelimitedFile(engine, file(name, content), name, opts, 'e_nl')).rejects.toMatchObject({
        code: 'mixed_line_endings',
        file: name,
        line,
        hint: expect.stringContaining('one kind of line ending') as unknown,
      });
    }
  });

  // Found by the hostile-file run: DuckDB took the line ending from a line
  // break inside a quoted header name and read no record at all (read 0, no reject).
  it('reads every record when a header name holds a line break of another kind', async () => {
    const raw = await readDelimitedFile(engine, file('header-break.csv', 'id,"Customer\r\nID"\n1,a\n2,b\n'), 'header-break.csv', csvOptionsSchema.parse({}), 'raw_hb');
    expect(raw.names).toEqual(['id', 'Customer\r\nID']);
    expect(raw.read).toBe(2);
    expect((await rows('raw_hb')).map((r) => [r['c1'], r['c2'], r['_line']])).toEqual([
      ['1', 'a', 3n],
      ['2', 'b', 4n],
    ]);
    // DuckDB cannot be told \r\n: refused, naming the header, rather than read as empty.
    await expect(readDelimitedFile(engine, file('excel-header.csv', 'id,"Customer\nID"\r\n1,a\r\n'), 'excel-header.csv', csvOptionsSchema.parse({}), 'raw_eh')).rejects.toMatchObject({
      code: 'header_line_break',
      file: 'excel-header.csv',
      line: 1,
    });
  });
});
