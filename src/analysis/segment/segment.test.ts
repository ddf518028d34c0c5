import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbEngine } from '../../engine/duckdb/engine.js';
import { UserError } from '../../errors.js';
import { SEGMENT_LIMITS } from './ast.js';
import { formatSegment } from './format.js';
import { parseSegment } from './parser.js';
import { resolveSegment, type SegmentColumn } from './resolve.js';
import { segmentCondition } from './segment-condition.js';

const COLUMNS: SegmentColumn[] = [
  { name: 'customer_id', type: 'string' },
  { name: 'segment', type: 'string' },
  { name: 'contract_type', type: 'string' },
  { name: 'acquisition_channel', type: 'string' },
  { name: 'age', type: 'int64' },
  { name: 'net_value', type: 'money' },
  { name: 'churned', type: 'boolean' },
  { name: 'cohort_month', type: 'date' },
  { name: 'signup_at', type: 'timestamp' },
];

// Ten customers whose text values include quotes, SQL and odd Unicode: the
// rule must select them by value, never execute them.
const ROWS = [
  ['c1', 'retail', 'annual', 'referral', 34n, '120.5000', false, '2024-01-01', '2024-01-05T10:00:00.000Z'],
  ['c2', 'retail', 'monthly', 'paid search', 25n, '80.0000', true, '2024-02-01', '2024-02-10T11:30:00.000Z'],
  ['c3', 'smb', 'annual', 'organic', 51n, '-10.0000', false, '2024-03-01', '2024-03-01T09:00:00.000Z'],
  ['c4', 'smb', 'monthly', 'partner', null, '0.0000', false, '2024-03-01', null],
  ['c5', "o'brien", 'annual', 'referral', 29n, '300.0000', false, '2024-04-01', '2024-04-01T09:00:00.000Z'],
  ['c6', "x'; DROP TABLE customer_facts; --", 'monthly', 'outbound', 40n, '5.0000', true, '2024-05-01', '2024-05-01T00:00:00.000Z'],
  ['c7', '$s_0', 'monthly', 'outbound', 41n, '6.0000', false, '2024-05-01', '2024-05-02T00:00:00.000Z'],
  ['c8', 'Zoë "the" 😀', 'annual', 'organic', 60n, '7.0000', false, '2024-06-01', '2024-06-01T00:00:00.000Z'],
  ['c9', 'back\\slash', 'annual', 'organic', 70n, '8.0000', false, '2024-06-01', '2024-06-03T00:00:00.000Z'],
  ['c10', null, 'annual', 'organic', 18n, '9.0000', false, null, null],
];

let engine: DuckDbEngine;

beforeAll(async () => {
  engine = await DuckDbEngine.open(':memory:', { memoryLimit: '256MB' });
  await engine.exec(
    engine.dialect.createTable(
      'customer_facts',
      COLUMNS.map((c) => ({ name: c.name, type: c.type })),
    ),
  );
  await engine.insertRows(
    'customer_facts',
    COLUMNS.map((c) => c.name),
    ROWS,
  );
});

afterAll(async () => {
  await engine.close();
});

async function ids(rule: string): Promise<string[]> {
  const s = segmentCondition(rule, COLUMNS, engine);
  const rows = await engine.query<{ customer_id: string }>(`SELECT customer_id FROM customer_facts WHERE ${s.sql} ORDER BY customer_id`, s.params);
  return rows.map((r) => r.customer_id).sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)));
}

function userErrorOf(fn: () => unknown): UserError {
  try {
    fn();
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error('expected a UserError');
}

describe('segment rules select the customers they say', () => {
  it('the documented example: AND, IN with bare words, a numeric comparison', async () => {
    expect(await ids('segment = retail AND contract_type IN (annual, monthly) AND age >= 25')).toEqual(['c1', 'c2']);
  });

  it('OR, NOT, parentheses and precedence (AND binds tighter than OR)', async () => {
    expect(await ids('segment = smb OR segment = retail AND age < 30')).toEqual(['c2', 'c3', 'c4']);
    expect(await ids('(segment = smb OR segment = retail) AND age < 30')).toEqual(['c2']);
    expect(await ids('NOT contract_type = annual')).toEqual(['c2', 'c4', 'c6', 'c7']);
    expect(await ids('contract_type NOT IN (annual) AND NOT (age > 40)')).toEqual(['c2', 'c6']);
  });

  it('multi-word bare values, quoted values, keywords in any case', async () => {
    expect(await ids('acquisition_channel = paid search')).toEqual(['c2']);
    expect(await ids("acquisition_channel = 'paid search' and age between 20 and 30")).toEqual(['c2']);
    expect(await ids('Segment = "retail"')).toEqual(['c1', 'c2']);
  });

  it('NULL is only matched by IS NULL; != excludes unknown values as SQL does', async () => {
    expect(await ids('age IS NULL')).toEqual(['c4']);
    expect(await ids('segment IS NOT NULL AND segment != retail AND segment != smb')).toEqual(['c5', 'c6', 'c7', 'c8', 'c9']);
  });

  it('booleans, money, dates and instants are typed for their column', async () => {
    expect(await ids('churned = true')).toEqual(['c2', 'c6']);
    expect(await ids('churned = no AND net_value > 100')).toEqual(['c1', 'c5']);
    expect(await ids('net_value < 0')).toEqual(['c3']);
    expect(await ids('cohort_month >= 2024-05-01')).toEqual(['c6', 'c7', 'c8', 'c9']);
    expect(await ids("signup_at < '2024-02-10T11:30:01Z' AND signup_at >= 2024-02-10")).toEqual(['c2']);
  });
});

describe('hostile input is data, never SQL', () => {
  it('quotes, comments, statement separators and placeholders in values match literally', async () => {
    expect(await ids("segment = 'x''; DROP TABLE customer_facts; --'")).toEqual(['c6']);
    expect(await ids(`segment = "x'; DROP TABLE customer_facts; --"`)).toEqual(['c6']);
    expect(await ids("segment = 'o''brien'")).toEqual(['c5']);
    expect(await ids("segment = '$s_0'")).toEqual(['c7']);
    expect(await ids(`segment = 'Zoë "the" 😀'`)).toEqual(['c8']);
    expect(await ids("segment = 'back\\slash'")).toEqual(['c9']);
    expect(await ids("segment = '' OR segment = 'retail'")).toEqual(['c1', 'c2']);
    expect(await engine.hasTable('customer_facts')).toBe(true);
  });

  it('the compiled SQL carries no user text: values are bound parameters', () => {
    const s = segmentCondition("segment = 'x''; DROP TABLE customer_facts; --' AND age >= 25", COLUMNS, engine);
    expect(s.sql).not.toContain('DROP');
    expect(s.sql).not.toContain("'");
    expect(Object.values(s.params)).toEqual(["x'; DROP TABLE customer_facts; --", 25]);
  });

  it('identifiers cannot smuggle SQL: only known column names pass', () => {
    expect(userErrorOf(() => segmentCondition('"segment" = retail', COLUMNS, engine)).code).toBe('segment_syntax');
    expect(userErrorOf(() => segmentCondition('segment; DROP TABLE x = 1', COLUMNS, engine)).code).toBe('segment_syntax');
    expect(userErrorOf(() => segmentCondition('segment-- = 1', COLUMNS, engine)).code).toBe('segment_syntax');
    expect(userErrorOf(() => segmentCondition('pg_sleep = 1', COLUMNS, engine)).code).toBe('segment_unknown_column');
    expect(userErrorOf(() => segmentCondition('segment = retail) OR (1 = 1', COLUMNS, engine)).code).toBe('segment_syntax');
  });

  it('control characters, NUL and lone surrogates are refused before any SQL exists', () => {
    for (const rule of ['segment = \u0000', "segment = 'a\u0000b'", 'segment = \ud800x', "segment = 'a\u001bb'"]) {
      const error = userErrorOf(() => segmentCondition(rule, COLUMNS, engine));
      expect(error.code, JSON.stringify(rule)).toBe('segment_syntax');
    }
  });

  it('size limits: length, nesting, conditions and IN lists', () => {
    expect(userErrorOf(() => segmentCondition(`segment = '${'a'.repeat(SEGMENT_LIMITS.maxLength)}'`, COLUMNS, engine)).code).toBe('segment_too_long');
    const deep = `${'('.repeat(SEGMENT_LIMITS.maxDepth + 2)}age = 1${')'.repeat(SEGMENT_LIMITS.maxDepth + 2)}`;
    expect(userErrorOf(() => segmentCondition(deep, COLUMNS, engine)).message).toContain('nests deeper');
    const many = Array.from({ length: SEGMENT_LIMITS.maxConditions + 1 }, (_, i) => `age = ${i}`).join(' OR ');
    expect(userErrorOf(() => segmentCondition(many, COLUMNS, engine)).message).toContain('at most');
    const list = `age IN (${Array.from({ length: SEGMENT_LIMITS.maxInValues + 1 }, (_, i) => i).join(', ')})`;
    expect(userErrorOf(() => segmentCondition(list, COLUMNS, engine)).message).toContain('IN list');
  });
});

describe('mistakes get a message that says what to do', () => {
  it('an unknown column names the nearest one', () => {
    const error = userErrorOf(() => segmentCondition('segmnet = retail', COLUMNS, engine));
    expect(error.code).toBe('segment_unknown_column');
    expect(error.hint).toContain('Did you mean segment?');
    const far = userErrorOf(() => segmentCondition('zzzzzzzz = 1', COLUMNS, engine));
    expect(far.hint).toContain('acquisition_channel');
  });

  it('values must suit the column', () => {
    expect(userErrorOf(() => segmentCondition('age >= young', COLUMNS, engine)).code).toBe('segment_bad_value');
    expect(userErrorOf(() => segmentCondition('churned = maybe', COLUMNS, engine)).code).toBe('segment_bad_value');
    expect(userErrorOf(() => segmentCondition('churned > true', COLUMNS, engine)).code).toBe('segment_bad_operator');
    expect(userErrorOf(() => segmentCondition('cohort_month = 2024-02-30', COLUMNS, engine)).code).toBe('segment_bad_value');
  });

  it('syntax errors point at the character', () => {
    const cases: [string, RegExp][] = [
      ['', /empty/],
      ['segment =', /expected a value/],
      ['segment retail', /expected an operator/],
      ["segment = 'retail", /never closed/],
      ['segment = NULL', /IS NULL/],
      ['age IN 1, 2', /expected "\(" after IN/],
      ['age IN (1, 2', /expected "," or "\)"/],
      ['(age = 1', /expected "\)"/],
      ['age = 1 age = 2', /join conditions with AND or OR/],
      ['age ! 1', /"!" must be followed by "="/],
      ['age BETWEEN 1 OR 2', /expected AND/],
    ];
    for (const [rule, pattern] of cases) {
      const error = userErrorOf(() => parseSegment(rule));
      expect(error.code, rule).toBe('segment_syntax');
      expect(error.message, rule).toMatch(pattern);
      expect(error.message, rule).toMatch(/character \d+/);
    }
  });
});

describe('the normal form', () => {
  it('is the same for two spellings of one rule, and parses back to itself', () => {
    const a = formatSegment(resolveSegment(parseSegment("SEGMENT='retail' and (age>=25 or churned=YES)"), COLUMNS));
    const b = formatSegment(resolveSegment(parseSegment('segment = retail AND (age >= 25 OR churned = true)'), COLUMNS));
    expect(a).toBe("segment = 'retail' AND (age >= 25 OR churned = true)");
    expect(b).toBe(a);
    for (const rule of [
      "NOT (segment = 'x''y' AND age IN (1, 2)) OR net_value BETWEEN -1.5 AND 2e3",
      "signup_at >= '2024-02-10T11:30:00Z' AND cohort_month IS NOT NULL AND NOT NOT churned = false",
    ]) {
      const once = formatSegment(resolveSegment(parseSegment(rule), COLUMNS));
      expect(formatSegment(resolveSegment(parseSegment(once), COLUMNS))).toBe(once);
    }
  });
});
