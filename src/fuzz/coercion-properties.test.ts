import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../config/schema.js';
import { DuckDbEngine } from '../engine/duckdb/engine.js';
import { compileFeed } from '../ingest/compile-feed.js';
import { parseBoolean, parseInteger, parseMoney, parseNumber, parseTimestamp, type ParsedValue } from '../ingest/expressions.js';
import { normaliseHeader } from '../ingest/header.js';

/**
 * Properties of the importer's type coercion (src/ingest/expressions.ts),
 * run in DuckDB as an import runs them: exact money, dates that round-trip,
 * and no value that silently becomes NULL. Fixed seeds, so a failure replays.
 */
let engine: DuckDbEngine;
beforeAll(async () => {
  engine = await DuckDbEngine.open(':memory:', { memoryLimit: '256MB', threads: 1 });
});
afterAll(async () => {
  await engine.close();
});

// 10 runs of 20 values: 200 values per property, one DuckDB query per run
// (the date parser is a long expression, costly to plan once per value).
const RUNS = { numRuns: 10, seed: 20_260_301 };
const batch = <T>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T[]> => fc.array(arbitrary, { minLength: 20, maxLength: 20 });

/** Each text read by `parse` in one query, in order. */
async function readAll(parse: (raw: string) => ParsedValue, inputs: readonly string[]): Promise<{ value: unknown; invalid: boolean }[]> {
  const parsed = parse('x');
  const values = inputs.map((text, i) => `(${i}, CAST(${engine.dialect.literal(text)} AS VARCHAR))`).join(', ');
  const rows = await engine.query(`SELECT ${parsed.value} AS value, ${parsed.invalid} AS invalid FROM (VALUES ${values}) t(i, x) ORDER BY i`);
  return rows.map((r) => ({ value: r['value'], invalid: r['invalid'] === true }));
}

/** Expect each input to read as `expected(input)`, naming the input that does not. */
async function expectReads<T>(parse: (raw: string) => ParsedValue, cases: readonly T[], text: (c: T) => string, expected: (c: T) => { value: unknown; invalid: boolean }): Promise<void> {
  const got = await readAll(parse, cases.map(text));
  cases.forEach((c, i) => expect(got[i], text(c)).toEqual(expected(c)));
}

/** A decimal with up to 4 places that DECIMAL(18,4) holds, as [exact text with 4 places, sign, integer part, fraction digits]. */
const decimal = fc
  .tuple(fc.boolean(), fc.bigInt({ min: 0n, max: 99_999_999_999_999n }), fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 9999 }))
  .map(([negative, whole, places, digits]) => {
    const fraction = places === 0 ? '' : String(digits % 10 ** places).padStart(places, '0');
    const exact = `${negative && (whole > 0n || /[1-9]/.test(fraction)) ? '-' : ''}${whole}.${fraction.padEnd(4, '0')}`;
    return { negative, whole: String(whole), fraction, exact };
  });

type Decimal = { negative: boolean; whole: string; fraction: string; exact: string };
type Instant = { year: number; month: number; day: number; hour: number; minute: number; second: number };

const grouped = (whole: string, separator: string): string => whole.replace(/\B(?=(\d{3})+(?!\d))/g, separator);

describe('money', () => {
  const dot = (raw: string): ParsedValue => parseMoney(engine.dialect, raw, { decimal: '.', unit: 'major' });
  const comma = (raw: string): ParsedValue => parseMoney(engine.dialect, raw, { decimal: ',', unit: 'major' });

  it('reads any finite amount with up to 4 places back to the same exact value, however an export writes it', async () => {
    const style = fc.constantFrom('plain', 'grouped', 'dollar', 'parentheses', 'code', 'padded');
    const written = ([d, how]: [Decimal, string]): string => {
      const body = `${how === 'grouped' || how === 'dollar' ? grouped(d.whole, ',') : d.whole}${d.fraction === '' ? '' : `.${d.fraction}`}`;
      const sign = d.negative ? '-' : '';
      return { plain: `${sign}${body}`, grouped: `${sign}${body}`, dollar: `${sign}$${body}`, parentheses: d.negative ? `(${body})` : body, code: `USD ${sign}${body}`, padded: `  ${sign}${body} ` }[how] ?? body;
    };
    await fc.assert(
      fc.asyncProperty(batch(fc.tuple(decimal, style)), (cases) => expectReads(dot, cases, written, ([d]) => ({ value: d.exact, invalid: false }))),
      RUNS,
    );
  });

  it('reads decimal commas with dot grouping when the column declares them', async () => {
    const written = ([d, group]: [Decimal, boolean]): string => `${d.negative ? '-' : ''}${group ? grouped(d.whole, '.') : d.whole}${d.fraction === '' ? '' : `,${d.fraction}`}`;
    await fc.assert(
      fc.asyncProperty(batch(fc.tuple(decimal, fc.boolean())), (cases) => expectReads(comma, cases, written, ([d]) => ({ value: d.exact, invalid: false }))),
      RUNS,
    );
  });
});

describe('dates', () => {
  const p2 = (n: number): string => String(n).padStart(2, '0');
  // 1800..2200 is the supported range; days up to 28 keep every month valid.
  const instant = fc.record({ year: fc.integer({ min: 1800, max: 2200 }), month: fc.integer({ min: 1, max: 12 }), day: fc.integer({ min: 1, max: 28 }), hour: fc.integer({ min: 0, max: 23 }), minute: fc.integer({ min: 0, max: 59 }), second: fc.integer({ min: 0, max: 59 }) });
  const iso = (t: Instant): string =>
    `${t.year}-${p2(t.month)}-${p2(t.day)}T${p2(t.hour)}:${p2(t.minute)}:${p2(t.second)}.000Z`;

  it('reads any date-time in the supported range back to the same instant, in every written form', async () => {
    const forms = ['iso-space', 'iso-t', 'iso-z', 'offset', 'mdy', 'dmy'] as const;
    for (const how of forms) {
      const format = how === 'mdy' || how === 'dmy' ? how : 'auto';
      const parse = (raw: string): ParsedValue => parseTimestamp(engine.dialect, raw, { format, timezone: 'UTC', dateOrder: 'mdy' });
      const written = (t: Instant): string => {
        const time = `${p2(t.hour)}:${p2(t.minute)}:${p2(t.second)}`;
        const date = `${t.year}-${p2(t.month)}-${p2(t.day)}`;
        return { 'iso-space': `${date} ${time}`, 'iso-t': `${date}T${time}`, 'iso-z': `${date}T${time}Z`, offset: `${date} ${time} +0000`, mdy: `${t.month}/${t.day}/${t.year} ${time}`, dmy: `${t.day}/${t.month}/${t.year} ${time}` }[how];
      };
      // A sixth of the runs per written form: 200 values in all.
      await fc.assert(
        fc.asyncProperty(batch(instant), (cases) => expectReads(parse, cases, written, (t) => ({ value: iso(t), invalid: false }))),
        { ...RUNS, numRuns: 2 },
      );
    }
  });

  it('refuses dates outside the supported range or the calendar', async () => {
    const bad = fc.oneof(
      fc.integer({ min: 1, max: 1799 }).map((y) => `${String(y).padStart(4, '0')}-06-15`),
      fc.integer({ min: 2201, max: 9999 }).map((y) => `${y}-06-15`),
      fc.record({ y: fc.integer({ min: 1800, max: 2200 }), m: fc.integer({ min: 13, max: 99 }) }).map(({ y, m }) => `${y}-${m}-01`),
      fc.integer({ min: 1801, max: 2199 }).filter((y) => y % 4 !== 0 || (y % 100 === 0 && y % 400 !== 0)).map((y) => `${y}-02-29`),
    );
    const parse = (raw: string): ParsedValue => parseTimestamp(engine.dialect, raw, { format: 'auto', timezone: 'UTC', dateOrder: 'mdy' });
    await fc.assert(
      fc.asyncProperty(batch(bad), (cases) => expectReads(parse, cases, (text) => text, () => ({ value: null, invalid: true }))),
      RUNS,
    );
  });
});

describe('never a silent NULL', () => {
  // Text shaped like what exports hold, and anything at all.
  const cell = fc.oneof(
    fc.string(),
    fc.stringMatching(/^[-+ ($€£]{0,2}[0-9.,eE]{0,12}[) A-Z]{0,4}$/),
    fc.stringMatching(/^[0-9]{1,5}[-/.][0-9]{1,2}[-/.][0-9]{1,5}( [0-9:]{0,8})?$/),
    fc.constantFrom('1e400', '-1e400', 'NaN', 'Infinity', '123456789012345678901234567890', '=HYPERLINK("http://x","y")', 'yes', 'N', ' ', ''),
  );
  const parsers: [string, (raw: string) => ParsedValue][] = [
    ['money', (raw) => parseMoney(engine.dialect, raw, { decimal: '.', unit: 'major' })],
    ['money in cents', (raw) => parseMoney(engine.dialect, raw, { decimal: '.', unit: 'minor' })],
    ['number, decimal comma', (raw) => parseNumber(engine.dialect, raw, { decimal: ',' })],
    ['integer', (raw) => parseInteger(engine.dialect, raw, { decimal: '.' })],
    ['date', (raw) => parseTimestamp(engine.dialect, raw, { format: 'auto', timezone: 'Europe/Paris', dateOrder: 'dmy' })],
    ['boolean', (raw) => parseBoolean(engine.dialect, raw, undefined)],
  ];

  it.each(parsers)('%s: a value that is not blank is read, or its row is quarantined', async (_, parse) => {
    // NUL is refused before it reaches SQL (the quarantine shows it as U+2400).
    const texts = batch(cell.filter((text) => !text.includes('\u0000')));
    await fc.assert(
      fc.asyncProperty(texts, async (cases) => {
        const got = await readAll(parse, cases);
        cases.forEach((text, i) => {
          const { value, invalid } = got[i] ?? { value: undefined, invalid: false };
          const blank = text.trim() === '';
          expect(blank ? value === null && !invalid : (value === null) === invalid, JSON.stringify(text)).toBe(true);
        });
      }),
      RUNS,
    );
  });
});

describe('column mapping by header', () => {
  const word = fc.stringMatching(/^[A-Za-z][A-Za-z0-9()#$%_-]{0,11}$/);
  const variant = (name: string, flips: boolean[], pad: string): string =>
    `${pad}${[...name].map((ch, i) => (flips[i % flips.length] === true ? (ch === ch.toLowerCase() ? ch.toUpperCase() : ch.toLowerCase()) : ch)).join('').replace(/ /g, `${pad} `)}${pad}`;

  it('finds a mapped column whatever the case and spacing of the header in the file', async () => {
    await fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 4 }), fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }), fc.constantFrom('', ' ', '\t', '  '), (words, flips, pad) => {
        const declared = words.join(' ');
        const inFile = variant(declared, flips, pad);
        expect(normaliseHeader(inFile)).toBe(normaliseHeader(declared));
        const config = configSchema.parse({ sources: { s: { files: ['s.csv'], feeds: [{ table: 'customers', columns: { customer_id: declared } }] } } });
        const feed = config.sources['s']?.feeds[0];
        if (feed === undefined) throw new Error('no feed');
        const compiled = compileFeed(
          { dialect: engine.dialect, config, sourceName: 's', feedIndex: 0, columnsByHeader: new Map([[normaliseHeader(inFile), 'r."h1"']]), headerNames: [inFile], file: 's.csv', asOf: '2026-01-01' },
          feed,
        );
        // The column reads the file's cell (directly, or through a shared trim of it).
        const reads = [compiled.columns.find((c) => c.name === 'customer_id')?.sql ?? '', ...compiled.lets.map((l) => l.sql)].join(' ');
        expect(reads).toContain('r."h1"');
      }),
      RUNS,
    );
  });
});
