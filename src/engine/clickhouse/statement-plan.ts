/**
 * Where each statement runs. Without ZooKeeper there is no `ON CLUSTER`, so
 * the engine sends DDL to every shard itself, one after another; everything
 * else (SELECT, INSERT) goes to the entry server, whose Distributed tables
 * fan reads out and route inserted rows to their shards.
 *
 * DROP of a workspace table also drops its shard-local MergeTree part (see
 * layout.ts), and DROP VIEW, which 18.16 cannot parse, runs as DROP TABLE
 * (the way 18.16 drops views). Other DDL runs verbatim on every shard: ALTER
 * and RENAME of a sharded table would leave its shard parts behind, so go
 * through the dialect (drop and create) instead.
 */
import { segments } from './lexer.js';
import type { ClickHouseLayout } from './layout.js';
import { quoteIdent, unquoteIdentifier } from './literal.js';

export type StatementTarget = 'entry' | 'every-shard';

export interface Step {
  target: StatementTarget;
  sql: string;
}

const DDL = new Set(['CREATE', 'DROP', 'ALTER', 'RENAME', 'TRUNCATE', 'ATTACH', 'DETACH', 'OPTIMIZE']);

type Token = { kind: 'word' | 'quoted' | 'other'; text: string };

function tokens(sql: string): Token[] {
  const out: Token[] = [];
  for (const seg of segments(sql)) {
    const text = sql.slice(seg.start, seg.end);
    if (seg.kind === 'comment') continue;
    if (seg.kind === 'identifier') out.push({ kind: 'quoted', text });
    else if (seg.kind === 'string') out.push({ kind: 'other', text });
    else {
      for (const m of text.matchAll(/[A-Za-z_][A-Za-z0-9_]*|\S/g)) {
        out.push({ kind: /^[A-Za-z_]/.test(m[0]) ? 'word' : 'other', text: m[0] });
      }
    }
  }
  return out;
}

function nameOf(token: Token | undefined): string | undefined {
  if (token === undefined) return undefined;
  if (token.kind === 'quoted') return unquoteIdentifier(token.text);
  return token.kind === 'word' ? token.text : undefined;
}

interface DropTarget {
  ifExists: boolean;
  database?: string;
  table: string;
}

/** `DROP TABLE|VIEW [IF EXISTS] [db.]name` and nothing more, or undefined. */
function parseDrop(list: Token[]): DropTarget | undefined {
  let i = 2;
  const word = (k: number): string => (list[k]?.kind === 'word' ? (list[k]?.text.toUpperCase() ?? '') : '');
  const ifExists = word(i) === 'IF' && word(i + 1) === 'EXISTS';
  if (ifExists) i += 2;
  const first = nameOf(list[i]);
  if (first === undefined) return undefined;
  i += 1;
  let database: string | undefined;
  let table = first;
  if (list[i]?.text === '.') {
    const second = nameOf(list[i + 1]);
    if (second === undefined) return undefined;
    database = first;
    table = second;
    i += 2;
  }
  if (i !== list.length) return undefined;
  return database === undefined ? { ifExists, table } : { ifExists, database, table };
}

/** The steps that run one statement. */
export function planStatement(sql: string, layout: ClickHouseLayout): Step[] {
  const list = tokens(sql);
  const first = list[0]?.kind === 'word' ? list[0].text.toUpperCase() : '';
  if (!DDL.has(first)) return [{ target: 'entry', sql }];
  const kind = list[1]?.kind === 'word' ? list[1].text.toUpperCase() : '';
  const drop = first === 'DROP' && (kind === 'TABLE' || kind === 'VIEW') ? parseDrop(list) : undefined;
  if (drop === undefined || (drop.database !== undefined && drop.database !== layout.database)) {
    return [{ target: 'every-shard', sql }];
  }
  const ifExists = drop.ifExists ? 'IF EXISTS ' : '';
  const steps: Step[] = [
    { target: 'every-shard', sql: `DROP TABLE ${ifExists}${quoteIdent(layout.database)}.${quoteIdent(drop.table)}` },
  ];
  const local = layout.cluster?.localDatabase;
  if (local !== undefined) {
    steps.push({ target: 'every-shard', sql: `DROP TABLE IF EXISTS ${quoteIdent(local)}.${quoteIdent(drop.table)}` });
  }
  return steps;
}
