import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbEngine } from '../engine/duckdb/engine.js';
import { fieldPattern, isIdHeader, matchQuarantined, needleMatcher, parseCsv, re2, tokenPattern, type Needle } from './erase-match.js';
import { checkIds, idNeedles, piiHash } from './erase-needles.js';

const needle = (value: string, customer = value): Needle => ({ customer, value, as: 'id' });

describe('tokens and fields', () => {
  const m = needleMatcher([needle('C-1007'), needle('4'), needle('h:0123456789abcdef0123456789abcdef', 'C-1007')]);

  it('a distinctive id is found as a whole token, case aside, never inside a longer one', () => {
    expect(m.token('refund for C-1007, sorry')?.value).toBe('C-1007');
    expect(m.token('c-1007')?.value).toBe('C-1007');
    expect(m.token('(C-1007).')?.value).toBe('C-1007');
    expect(m.token('C-10070')).toBeUndefined();
    expect(m.token('XC-1007')).toBeUndefined();
    expect(m.token('C_1007')).toBeUndefined();
  });

  it('a short id is never a token: "4" in dates, amounts and words is noise', () => {
    for (const text of ['2025-04-01', '4.00', 'waited 4 days', '14,abc']) expect(m.token(text)).toBeUndefined();
  });

  it('a short id is found as a whole field of a raw line, a list or a quoted cell, spaces aside', () => {
    expect(m.field('4,h:38db,not a date')?.value).toBe('4');
    expect(m.field('a, 4 ,b')?.value).toBe('4');
    expect(m.field('x;4')?.value).toBe('4');
    expect(m.field('["3", "4"]')?.value).toBe('4');
    for (const text of ['14,abc', 'a,4.5,b', '2025-04-01,x', 'ch_4,2025-03-03']) expect(m.field(text), text).toBeUndefined();
    expect(m.whole(' 4 ')?.value).toBe('4');
    expect(m.whole('44')).toBeUndefined();
  });

  it('a quarantined record belongs to a customer by a field of its raw line or a distinctive token in its detail', () => {
    expect(matchQuarantined(m, { raw: 'ch_4,2025-03-03,12..50,h:0123456789abcdef0123456789abcdef', detail: null })?.customer).toBe('C-1007');
    expect(matchQuarantined(m, { raw: '9,x', detail: 'customer C-1007 twice' })?.customer).toBe('C-1007');
    expect(matchQuarantined(m, { raw: '9,x', detail: 'column 4 is bad' })).toBeUndefined();
    expect(matchQuarantined(m, { raw: null, detail: null })).toBeUndefined();
  });

  it('hostile ids are matched literally (regex characters escaped)', () => {
    const hostile = needleMatcher([needle('a.b|c(d)*'), needle('x\\y[z]?')]);
    expect(hostile.token('see a.b|c(d)* here')?.value).toBe('a.b|c(d)*');
    expect(hostile.token('see aXb|c(d)) here')).toBeUndefined();
    expect(hostile.field('1,x\\y[z]?,2')?.value).toBe('x\\y[z]?');
    expect(hostile.field('1,xy,2')).toBeUndefined();
  });

  it('id columns of a CSV are told by their header', () => {
    for (const h of ['customer_id', 'id', 'Customer', 'Referrer ID', 'referred_by']) expect(isIdHeader(h), h).toBe(true);
    for (const h of ['amount', 'paid', 'valid', 'idle_days']) expect(isIdHeader(h), h).toBe(false);
  });
});

describe('the same patterns in DuckDB (RE2) and JavaScript', () => {
  let engine: DuckDbEngine;
  beforeAll(async () => {
    engine = await DuckDbEngine.open(':memory:');
  });
  afterAll(async () => engine.close());

  it('agree on every sample, both kinds of pattern', async () => {
    const values = ['C-1007', '4', 'a.b|c'];
    const samples = ['C-1007', 'c-1007 again', 'C-10070', 'x4y', '4', 'a,4', '2025-04-01', 'say a.b|c', 'a.b|cd', ' 4 ;', 'ac-1007'];
    for (const pattern of [tokenPattern(values), fieldPattern(values)]) {
      expect(pattern).not.toBeNull();
      const js = new RegExp(pattern ?? '', 'i');
      for (const sample of samples) {
        const rows = await engine.query<{ hit: boolean }>('SELECT regexp_matches($text, $pattern) AS hit', { text: sample, pattern: re2(pattern ?? '') });
        expect(rows[0]?.hit, `${pattern} on ${sample}`).toBe(js.test(sample));
      }
    }
  });
});

describe('CSV records', () => {
  it('keeps quoted delimiters, doubled quotes and line breaks in a field, and each record\'s exact span', () => {
    const text = 'a,b\r\n"x,1","say ""hi""\nthere"\n3,\n';
    const records = parseCsv(text);
    expect(records.map((r) => r.fields)).toEqual([['a', 'b'], ['x,1', 'say "hi"\nthere'], ['3', '']]);
    expect(records.map((r) => r.line)).toEqual([1, 2, 4]);
    expect(records.map((r) => text.slice(r.start, r.end)).join('')).toBe(text);
  });

  it('a last line without a line break is a record too', () => {
    expect(parseCsv('a\n1').map((r) => r.fields)).toEqual([['a'], ['1']]);
    expect(parseCsv('')).toEqual([]);
  });
});

describe('ids and their hashes', () => {
  it('hashes as the import does: h: and 32 hex digits of sha256(salt || lower(trim))', async () => {
    const engine = await DuckDbEngine.open(':memory:');
    try {
      const rows = await engine.query<{ h: string }>("SELECT 'h:' || substr(sha256($salt || lower(trim($v))), 1, 32) AS h", { salt: 's4lt', v: '  Ann@Example.COM ' });
      expect(piiHash('s4lt', '  Ann@Example.COM ')).toBe(rows[0]?.h);
    } finally {
      await engine.close();
    }
  });

  it('ids are trimmed and deduplicated; blank ones refused; each gets its hashed form when a salt exists', () => {
    expect(checkIds([' C-1 ', 'C-1', 'C-2'])).toEqual(['C-1', 'C-2']);
    expect(() => checkIds(['C-1', '  '])).toThrow(expect.objectContaining({ code: 'bad_customer_id' }));
    expect(() => checkIds([])).toThrow(expect.objectContaining({ code: 'bad_customer_id' }));
    expect(idNeedles(['C-1'], null)).toEqual([{ customer: 'C-1', value: 'C-1', as: 'id' }]);
    expect(idNeedles(['C-1'], 'salt').map((n) => n.as)).toEqual(['id', 'hashed id']);
  });
});
