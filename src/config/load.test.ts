import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UserError } from '../errors.js';
import { hashConfig, loadConfig, parseConfig } from './load.js';
import { editDistance, nearest } from './suggest.js';

const valid = `
as_of: 2026-06-30
sources:
  payments:
    files: [payments.csv]
    feeds:
      - table: transactions
        columns:
          customer_id: Customer ID
          at: { column: Created (UTC), format: iso }
          kind: { value: purchase }
          amount: Amount
`;

function failure(text: string): UserError {
  try {
    parseConfig(text, '/ws/cxray.yaml');
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error('expected parseConfig to throw');
}

describe('parseConfig', () => {
  it('accepts a valid config and fills defaults', () => {
    const config = parseConfig(valid, '/ws/cxray.yaml');
    expect(config.currency).toBe('USD');
    expect(config.sources['payments']?.csv.delimiter).toBe(',');
    expect(config.sources['payments']?.feeds[0]?.columns['amount']).toBe('Amount');
  });

  it('names line and column of a YAML syntax error', () => {
    const error = failure('sources:\n  payments:\n    files: [a.csv\n    feeds: []\n');
    expect(error.code).toBe('config_syntax');
    expect(error.message).toMatch(/^cxray\.yaml: line \d+, column \d+:/);
    expect(error.line).toBeGreaterThanOrEqual(3);
  });

  it('reports tabs used as indentation with their line', () => {
    const error = failure('sources:\n\tpayments: {}\n');
    expect(error.code).toBe('config_syntax');
    expect(error.message).toContain('line 2');
  });

  it('lists every schema problem in one error, with paths, found/expected and suggestions at several depths', () => {
    const text = valid
      .replace('as_of: 2026-06-30', 'as_of: 2026-06-30\ndate_ordr: dmy\ncurrency: usd')
      .replace('files: [payments.csv]', 'files: [payments.csv]\n    csv: { delimter: ";", encoding: utf8 }')
      .replace('- table: transactions', '- table: transaction')
      .replace('amount: Amount', 'amount: { colum: Amount }');
    const error = failure(text);
    expect(error.code).toBe('config_invalid');
    const lines = error.message.split('\n');
    expect(lines).toHaveLength(6);
    for (const line of lines) expect(line).toMatch(/^cxray\.yaml: \S.*: found .*, expected .*\(line \d+\)$/);
    expect(error.message).toContain('cxray.yaml: date_ordr: found an unknown key "date_ordr", expected');
    expect(error.message).toMatch(/date_ordr: .*did you mean "date_order"\?/);
    expect(error.message).toMatch(/currency: found "usd", expected text matching/);
    expect(error.message).toMatch(/sources\.payments\.csv\.delimter: found an unknown key "delimter".*did you mean "delimiter"\?/);
    expect(error.message).toMatch(/sources\.payments\.csv\.encoding: found "utf8", expected one of "utf-8", "latin-1", "windows-1252", "utf-16"; did you mean "utf-8"\?/);
    expect(error.message).toMatch(/sources\.payments\.feeds\[0\]\.table: found "transaction", expected one of .*did you mean "transactions"\?/);
    expect(error.message).toMatch(/sources\.payments\.feeds\[0\]\.columns\.amount\.colum: found an unknown key "colum", expected one of column, value.*did you mean "column"\?/);
    // Sorted by line; the first problem's line is on the error.
    expect(error.line).toBe(3);
    expect(error.file).toBe('/ws/cxray.yaml');
  });

  it('points at the line of the offending entry', () => {
    const error = failure(valid.replace('amount: Amount', 'amount: { colum: Amount }'));
    const lineNo = valid.split('\n').findIndex((l) => l.includes('amount: Amount')) + 1;
    expect(error.message).toContain(`(line ${lineNo})`);
  });

  it('explains a wrong type inside a union (column spec given as a number)', () => {
    const error = failure(valid.replace('amount: Amount', 'amount: 12'));
    expect(error.message).toMatch(/columns\.amount: found 12, expected a text or a map/);
  });

  it('suggests an enum value nested under a union (engine) and deep in a list (unpivot instrument)', () => {
    const text = `engine: duckbd\n${valid}`.replace(
      'amount: Amount',
      'amount: Amount\n      - table: survey_responses\n        columns: { customer_id: id, at: at }\n        unpivot:\n          Q1: { instrument: npss }',
    );
    const error = failure(text);
    expect(error.message).toMatch(/engine: found "duckbd", expected "duckdb", "clickhouse" or a map.*did you mean "duckdb"\?/);
    expect(error.message).toMatch(/sources\.payments\.feeds\[1\]\.unpivot\.Q1\.instrument: found "npss".*did you mean "nps"\?/);
  });

  it('reports missing required entries and bad record keys', () => {
    const error = failure('segments:\n  By Region: { attribute: region }\nsources:\n  payments:\n    feeds: []\n');
    expect(error.message).toMatch(/segments\["By Region"\]: found the key "By Region", expected a lower-case name/);
    expect(error.message).toMatch(/sources\.payments\.files: found nothing, expected a list/);
    expect(error.message).toMatch(/sources\.payments\.feeds: found an empty list, expected at least 1 item/);
  });

  it('rejects an empty file', () => {
    expect(failure('# only a comment\n').code).toBe('config_invalid');
  });

  it('offers no suggestion when nothing is close', () => {
    const error = failure(`zzzzzzzz: 1\n${valid}`);
    expect(error.message).toContain('zzzzzzzz: found an unknown key "zzzzzzzz"');
    expect(error.message).not.toContain('did you mean');
  });
});

describe('loadConfig', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cxray-load-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads DIR/cxray.yaml and hashes the normalised config, not its layout', async () => {
    await writeFile(join(dir, 'cxray.yaml'), valid);
    const first = await loadConfig(dir);
    expect(first.path).toBe(join(dir, 'cxray.yaml'));
    expect(first.text).toBe(valid);
    expect(first.hash).toMatch(/^[0-9a-f]{64}$/);
    await writeFile(join(dir, 'cxray.yaml'), `# a comment\n${valid.replace('files: [payments.csv]', 'files:\n      - payments.csv')}\n\n`);
    expect((await loadConfig(dir)).hash).toBe(first.hash);
    await writeFile(join(dir, 'cxray.yaml'), valid.replace('Amount', 'Gross'));
    expect((await loadConfig(dir)).hash).not.toBe(first.hash);
    expect(hashConfig(first.config)).toBe(first.hash);
  });

  it('says how to create a missing config', async () => {
    const error = await loadConfig(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).code).toBe('config_missing');
    expect((error as UserError).hint).toContain('cxray init --from FILE...');
  });
});

describe('suggestions', () => {
  it('counts a transposition as one edit, case-insensitively', () => {
    expect(editDistance('dym', 'dmy')).toBe(1);
    expect(editDistance('Delimter', 'delimiter')).toBe(1);
    expect(editDistance('abc', 'xyz')).toBe(3);
  });
  it('returns the nearest plausible candidate only', () => {
    expect(nearest('delimter', ['delimiter', 'quote', 'escape'])).toBe('delimiter');
    expect(nearest('zzzzzz', ['delimiter', 'quote'])).toBeUndefined();
  });
});
