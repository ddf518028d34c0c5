import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbEngine } from '../engine/duckdb/engine.js';
import type { SqlDialect } from '../engine/dialect.js';
import { AS_OF, config, loadCompany } from './hand-built-company.case.js';
import { planCustomerFacts } from './index.js';

// ClickHouse 18.16 (ENGINES.md) has no window functions, no WITH, no EXISTS and
// allows one JOIN per SELECT. The facts SQL is scanned for those, and for any
// function that is neither plain standard SQL nor produced by the dialect.

type Token = { kind: 'word' | 'open' | 'close' | 'cast'; text: string };

function tokens(sql: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i] ?? '';
    if (ch === "'" || ch === '"') {
      // Quoted text or identifier: skip it, doubled quotes included.
      i += 1;
      while (i < sql.length && !(sql[i] === ch && sql[i + 1] !== ch)) i += sql[i] === ch ? 2 : 1;
      i += 1;
    } else if (/[A-Za-z_]/.test(ch)) {
      const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(sql.slice(i))?.[0] ?? ch;
      out.push({ kind: 'word', text: word.toUpperCase() });
      i += word.length;
    } else if (ch === ':' && sql[i + 1] === ':') {
      out.push({ kind: 'cast', text: '::' });
      i += 2;
    } else {
      if (ch === '(') out.push({ kind: 'open', text: ch });
      if (ch === ')') out.push({ kind: 'close', text: ch });
      i += 1;
    }
  }
  return out;
}

/** Quoted text and identifiers blanked out, so nothing inside them is read as SQL. */
function unquoted(sql: string): string {
  return sql.replace(/'(?:[^']|'')*'|"(?:[^"]|"")*"/g, (m) => ' '.repeat(m.length));
}

/** Names directly followed by '(' (function calls, type parameters). */
function calls(sql: string): Set<string> {
  return new Set([...unquoted(sql).matchAll(/([A-Za-z_][A-Za-z0-9_]*)\(/g)].map((m) => (m[1] ?? '').toUpperCase()));
}

function dialectCalls(d: SqlDialect): Set<string> {
  const samples = [
    d.dateTrunc('day', 'x'),
    d.dateTrunc('quarter', 'x'),
    d.dateDiff('day', 'a', 'b'),
    d.addDays('x', -1),
    d.toMoney('x'),
    d.toDouble('x'),
    d.toString('x'),
    d.countDistinct('x'),
    ...(['string', 'int32', 'int64', 'double', 'money', 'boolean', 'timestamp', 'date'] as const).map((t) => `CAST(x AS ${d.columnType(t, true)})`),
  ];
  return new Set(samples.flatMap((s) => [...calls(s)]));
}

const STANDARD = ['SUM', 'COUNT', 'MIN', 'MAX', 'AVG', 'COALESCE', 'CAST', 'IN', 'USING'];

function maxJoinsPerSelect(sql: string): number {
  const frames: number[] = [0];
  let most = 0;
  for (const tok of tokens(sql)) {
    if (tok.kind === 'open') frames.push(0);
    else if (tok.kind === 'close') frames.pop();
    else if (tok.text === 'SELECT') frames[frames.length - 1] = 0;
    else if (tok.text === 'JOIN') {
      const joins = (frames.pop() ?? 0) + 1;
      frames.push(joins);
      most = Math.max(most, joins);
    }
  }
  return most;
}

let engine: DuckDbEngine;

beforeAll(async () => {
  engine = await DuckDbEngine.open(':memory:');
  await loadCompany(engine);
});

afterAll(async () => {
  await engine.close();
});

describe('facts SQL stays within what ClickHouse 18.16 runs', () => {
  it('has no window functions, WITH, EXISTS or :: casts, and at most one JOIN per SELECT', async () => {
    const { select } = await planCustomerFacts(engine, { asOf: AS_OF, config });
    const words = new Set(tokens(select).map((t) => t.text));
    for (const banned of ['OVER', 'WITH', 'WINDOW', 'QUALIFY', 'FILTER', 'EXISTS', 'LATERAL', 'RECURSIVE', 'UNNEST', '::']) {
      expect(words.has(banned), banned).toBe(false);
    }
    expect(words.has('JOIN')).toBe(true);
    expect(maxJoinsPerSelect(select)).toBe(1);
  });

  it('calls only standard aggregates and what the dialect writes', async () => {
    const { select } = await planCustomerFacts(engine, { asOf: AS_OF, config });
    const allowed = new Set([...STANDARD, ...dialectCalls(engine.dialect)]);
    expect([...calls(select)].filter((name) => !allowed.has(name))).toEqual([]);
  });

  it('on one server the plan is the single portable SELECT over whole tables: nothing staged, nothing shard-local', async () => {
    const plan = await planCustomerFacts(engine, { asOf: AS_OF, config, plan: 'shard-local' });
    expect(engine.capabilities.distributed).toBe(false);
    expect(plan.kind).toBe('entry');
    expect(plan.staged).toEqual([]);
    expect(plan.select).toContain(`FROM ${engine.dialect.quoteIdent('transactions')}`);
  });

  it('the scanner itself sees what it must refuse', () => {
    expect(maxJoinsPerSelect('SELECT a FROM t JOIN u USING (k) JOIN v USING (k)')).toBe(2);
    expect(maxJoinsPerSelect('SELECT a FROM (SELECT b FROM t JOIN u USING (k)) AS x JOIN v USING (k)')).toBe(1);
    expect(maxJoinsPerSelect(`SELECT 'JOIN JOIN' AS "JOIN" FROM t JOIN u USING (k)`)).toBe(1);
    expect(calls('SELECT arg_max(a, b), sum(c) FROM t')).toEqual(new Set(['ARG_MAX', 'SUM']));
    expect(new Set(tokens('SELECT row_number() OVER (PARTITION BY a) FROM t').map((t) => t.text)).has('OVER')).toBe(true);
  });
});
