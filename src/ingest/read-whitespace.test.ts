import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema, csvOptionsSchema } from '../config/schema.js';
import { DuckDbEngine } from '../engine/duckdb/engine.js';
import { Workspace } from '../workspace/workspace.js';
import { readDelimitedFile } from './read-file.js';
import { dataUnitOfAccepted, splitWhitespaceFields } from './split-whitespace.js';

// `delimiter: whitespace`: fixed-width text like CDNOW_sample.txt (leading
// spaces, runs of spaces, CRLF, no header), every line loaded or rejected with its line.

let engine: DuckDbEngine;
const dir = mkdtempSync(join(tmpdir(), 'cxray-whitespace-'));
beforeAll(async () => {
  engine = await DuckDbEngine.open(':memory:');
});
afterAll(async () => {
  await engine.close();
});

function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

const options = (extra: Record<string, unknown> = {}) => csvOptionsSchema.parse({ delimiter: 'whitespace', header_rows: 0, column_names: ['master', 'customer', 'date', 'cds', 'dollars'], ...extra });

async function cells(table: string): Promise<unknown[][]> {
  const rows = await engine.query(`SELECT _line, c1, c2, c3, c4, c5 FROM ${engine.dialect.quoteIdent(table)} ORDER BY _unit`);
  return rows.map((r) => [r['_line'], r['c1'], r['c2'], r['c3'], r['c4'], r['c5']]);
}

describe('whitespace-separated text', () => {
  it('splits aligned CRLF lines into the named columns, each with its physical line', async () => {
    const path = file('aligned.txt', ' 00004 0001 19970101  2   29.33\r\n 00004 0001 19970118  2   29.73\r\n\t00021   0002 19970101 3 63.34 \r\n');
    const raw = await readDelimitedFile(engine, path, 'aligned.txt', options(), 'raw_aligned');
    expect(raw.names).toEqual(['master', 'customer', 'date', 'cds', 'dollars']);
    expect([raw.read, raw.accepted, raw.rejected.length, raw.linesApproximate]).toEqual([3, 3, 0, false]);
    expect(await cells('raw_aligned')).toEqual([
      [1n, '00004', '0001', '19970101', '2', '29.33'],
      [2n, '00004', '0001', '19970118', '2', '29.73'],
      [3n, '00021', '0002', '19970101', '3', '63.34'],
    ]);
  });

  it('rejects lines with another number of fields as wrong_column_count, at their line, around blank lines and a header', async () => {
    const path = file(
      'bad.txt',
      ['master customer date cds dollars', ' 1 0001 19970101 2 29.33', ' 2 0001 19970118 2', '', ' 3 0002 19970101 3 63.34', ' 4 0002 19970102 3 63.34 extra', '   ', ' 5 "0003 19970105 1 9.99', ''].join('\r\n'),
    );
    const raw = await readDelimitedFile(engine, path, 'bad.txt', csvOptionsSchema.parse({ delimiter: 'whitespace' }), 'raw_bad');
    expect(raw.names).toEqual(['master', 'customer', 'date', 'cds', 'dollars']);
    expect(raw.accepted).toBe(3);
    expect(raw.rejected.map((r) => [r.line, r.reason, r.detail])).toEqual([
      [3, 'wrong_column_count', 'expected 5 fields separated by spaces, found 4'],
      [6, 'wrong_column_count', 'expected 5 fields separated by spaces, found 6'],
      [7, 'wrong_column_count', 'expected 5 fields separated by spaces, found 0'],
    ]);
    expect(raw.rejected[0]?.raw).toBe(' 2 0001 19970118 2');
    expect(raw.read).toBe(raw.accepted + raw.rejected.length);
    // A quote is an ordinary character: no field runs over the line end.
    expect((await cells('raw_bad')).map((r) => [r[0], r[1], r[2]])).toEqual([
      [2n, '1', '0001'],
      [5n, '3', '0002'],
      [8n, '5', '"0003'],
    ]);
  });

  it('asks for column names when there is no header', async () => {
    const path = file('nameless.txt', '1 2 3\n');
    await expect(readDelimitedFile(engine, path, 'nameless.txt', csvOptionsSchema.parse({ delimiter: 'whitespace', header_rows: 0 }), 'raw_nameless')).rejects.toMatchObject({
      code: 'source_column_names_missing',
    });
  });

  it('numbers accepted rows around skipped units', () => {
    expect([1, 2, 3, 4].map((j) => dataUnitOfAccepted(j, [2, 3, 6]))).toEqual([1, 4, 5, 7]);
    expect(splitWhitespaceFields(' a \t b  c\r')).toEqual(['a', 'b', 'c']);
  });

  it('imports through cxray.yaml: transactions with derived customers, a bad line quarantined with its line number', async () => {
    const ws = mkdtempSync(join(tmpdir(), 'cxray-whitespace-ws-'));
    writeFileSync(join(ws, 'orders.txt'), [' 00004 0001 19970101  2   29.33', ' 00004 0001 19970118  2   29.73', ' 00021 0002 19970101  3', ' 00021 0002 19970113  1   11.77', ''].join('\r\n'));
    const yaml = `as_of: 1997-06-30
currency: USD
sources:
  orders:
    files: [orders.txt]
    csv: {delimiter: whitespace, header_rows: 0, column_names: [master_id, customer, date, cds, dollars]}
    feeds:
      - table: transactions
        columns: {customer_id: customer, at: {column: date, format: yyyymmdd}, amount: dollars, currency: {value: USD}, kind: {value: purchase}}
`;
    writeFileSync(join(ws, 'cxray.yaml'), yaml);
    expect(configSchema.parse({ sources: {} }).lifetime_value).toBeUndefined();
    const workspace = new Workspace(ws);
    const { ledger } = await workspace.import();
    const orders = ledger.files.find((f) => f.source === 'orders');
    expect(orders).toMatchObject({ read: 4, inserted: 3, quarantined: 1, quarantinedByReason: { wrong_column_count: 1 } });
    const quarantine = readFileSync(join(ws, 'quarantine', 'orders.csv'), 'utf8').trim().split('\n');
    expect(quarantine[1]?.split(',').slice(0, 2)).toEqual(['orders.txt', '3']);
    const store = await workspace.openStore();
    try {
      expect(await store.engine.query(`SELECT customer_id, "at", amount FROM transactions ORDER BY "at", customer_id`)).toEqual([
        { customer_id: '0001', at: '1997-01-01T00:00:00.000Z', amount: '29.3300' },
        { customer_id: '0002', at: '1997-01-13T00:00:00.000Z', amount: '11.7700' },
        { customer_id: '0001', at: '1997-01-18T00:00:00.000Z', amount: '29.7300' },
      ]);
      expect(await store.engine.query(`SELECT customer_id, purchase_days FROM customer_facts ORDER BY customer_id`)).toEqual([
        { customer_id: '0001', purchase_days: 2n },
        { customer_id: '0002', purchase_days: 1n },
      ]);
    } finally {
      await store.close();
    }
  });
});
