import { skipQuoted } from '../sql-text.js';
/**
 * The lexical rules of ClickHouse 18.16 SQL, as far as the engine needs them:
 * where code ends and quoted text or comments begin. They differ from
 * DuckDB's (engine/duckdb/named-params.ts), so this module has its own scan:
 *
 * - '...' strings take backslash escapes (\' \\ \n \xHH ...) and doubled quotes;
 * - "..." and `...` identifiers take the same escapes and doubling;
 * - `--` comments run to the end of the line; `/* ... *\/` comments do NOT nest
 *   (18.16 ends a comment at the first `*\/`);
 * - there are no dollar-quoted strings and no E'...' strings.
 *
 * Reading `'a\'$v'` with the DuckDB rules would end the string early and see
 * `$v` as a placeholder; here it stays text, as the server reads it.
 */

export type SegmentKind = 'code' | 'string' | 'identifier' | 'comment';

export interface Segment {
  kind: SegmentKind;
  start: number;
  end: number;
}

/** The text cut into code, quoted strings, quoted identifiers and comments, in order, covering every character. */
export function segments(sql: string): Segment[] {
  const out: Segment[] = [];
  let codeStart = 0;
  let i = 0;
  const push = (kind: SegmentKind, start: number, end: number): void => {
    if (codeStart < start) out.push({ kind: 'code', start: codeStart, end: start });
    out.push({ kind, start, end });
    codeStart = end;
  };
  while (i < sql.length) {
    const c = sql[i];
    if (c === "'") {
      const end = skipQuoted(sql, i, "'", true);
      push('string', i, end);
      i = end;
    } else if (c === '"' || c === '`') {
      const end = skipQuoted(sql, i, c, true);
      push('identifier', i, end);
      i = end;
    } else if (c === '-' && sql[i + 1] === '-') {
      const newline = sql.indexOf('\n', i);
      const end = newline < 0 ? sql.length : newline + 1;
      push('comment', i, end);
      i = end;
    } else if (c === '/' && sql[i + 1] === '*') {
      const close = sql.indexOf('*/', i + 2);
      const end = close < 0 ? sql.length : close + 2;
      push('comment', i, end);
      i = end;
    } else {
      i += 1;
    }
  }
  if (codeStart < sql.length) out.push({ kind: 'code', start: codeStart, end: sql.length });
  return out;
}

export interface Placeholder {
  name: string;
  /** Offset of the `$`. */
  start: number;
  /** Offset just past the name. */
  end: number;
}

const IDENT_PART = /[A-Za-z0-9_$\u0080-\uFFFF]/;
const NAME_START = /[A-Za-z_]/;
const NAME_PART = /[A-Za-z0-9_]/;

/** `$name` placeholders in code (not in quotes or comments), in order; `$1` and `a$b` are not placeholders. */
export function findPlaceholders(sql: string): Placeholder[] {
  const found: Placeholder[] = [];
  for (const seg of segments(sql)) {
    if (seg.kind !== 'code') continue;
    for (let i = seg.start; i < seg.end; i += 1) {
      if (sql[i] !== '$') continue;
      const before = i > seg.start ? sql[i - 1] : undefined;
      if (before !== undefined && IDENT_PART.test(before)) continue;
      if (!NAME_START.test(sql[i + 1] ?? '')) continue;
      let j = i + 2;
      while (j < seg.end && NAME_PART.test(sql[j] as string)) j += 1;
      found.push({ name: sql.slice(i + 1, j), start: i, end: j });
      i = j - 1;
    }
  }
  return found;
}

/**
 * The statements of a script, split at `;` in code, trimmed, empty ones
 * dropped. ClickHouse's HTTP interface runs one statement per request.
 */
export function splitStatements(sql: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (const seg of segments(sql)) {
    if (seg.kind !== 'code') continue;
    for (let i = seg.start; i < seg.end; i += 1) {
      if (sql[i] !== ';') continue;
      out.push(sql.slice(start, i));
      start = i + 1;
    }
  }
  out.push(sql.slice(start));
  return out.filter((s) => !isBlank(s)).map((s) => s.trim());
}

/** Whether a statement holds only whitespace and comments. */
export function isBlank(sql: string): boolean {
  return segments(sql).every((seg) => seg.kind === 'comment' || (seg.kind === 'code' && sql.slice(seg.start, seg.end).trim() === ''));
}

/** The first `count` words of code (upper-cased), skipping comments and opening parentheses: how the engine routes a statement. */
export function leadingWords(sql: string, count: number): string[] {
  const words: string[] = [];
  for (const seg of segments(sql)) {
    if (seg.kind === 'comment') continue;
    if (seg.kind !== 'code') break;
    const text = sql.slice(seg.start, seg.end);
    for (const match of text.matchAll(/[A-Za-z_][A-Za-z0-9_]*|[^\sA-Za-z_(]/g)) {
      if (!/^[A-Za-z_]/.test(match[0])) return words;
      words.push(match[0].toUpperCase());
      if (words.length === count) return words;
    }
  }
  return words;
}
