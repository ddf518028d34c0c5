import { skipQuoted } from '../sql-text.js';
/**
 * Finds `$name` placeholders in SQL text, skipping what is not code: quoted
 * strings ('' and E'\''), quoted identifiers, dollar-quoted strings
 * ($$...$$, $tag$...$tag$), line comments and nested block comments.
 *
 * Engine-neutral on purpose: the DuckDB engine uses it to pass only the
 * parameters a statement names (DuckDB rejects extra ones), and an engine
 * without server-side parameters can use `substituteNamedParameters` to
 * render each placeholder through its dialect's `literal`.
 */
export interface NamedParameter {
  name: string;
  /** Offset of the `$`. */
  start: number;
  /** Offset just past the name. */
  end: number;
}

const PARAMETER_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Throws a TypeError unless `name` is a valid parameter name (letters, digits, underscore; not starting with a digit). */
export function assertParameterName(name: string): void {
  if (!PARAMETER_NAME.test(name)) throw new TypeError(`Invalid SQL parameter name ${JSON.stringify(name)}`);
}

const isIdentStart = (c: string | undefined): boolean => c !== undefined && /[A-Za-z_\u0080-\uFFFF]/.test(c);
const isIdentPart = (c: string | undefined): boolean => c !== undefined && /[A-Za-z0-9_$\u0080-\uFFFF]/.test(c);

function skipBlockComment(sql: string, from: number): number {
  let depth = 0;
  let i = from;
  while (i < sql.length) {
    if (sql.startsWith('/*', i)) {
      depth += 1;
      i += 2;
    } else if (sql.startsWith('*/', i)) {
      depth -= 1;
      i += 2;
      if (depth === 0) return i;
    } else {
      i += 1;
    }
  }
  return sql.length;
}

/** The placeholders of a statement, in order (a name may repeat). */
export function findNamedParameters(sql: string): NamedParameter[] {
  const found: NamedParameter[] = [];
  let i = 0;
  while (i < sql.length) {
    const c = sql[i];
    if (c === "'") {
      const escaped = (sql[i - 1] === 'E' || sql[i - 1] === 'e') && !isIdentPart(sql[i - 2]);
      i = skipQuoted(sql, i, "'", escaped);
    } else if (c === '"') {
      i = skipQuoted(sql, i, '"', false);
    } else if (c === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      i = end < 0 ? sql.length : end + 1;
    } else if (c === '/' && sql[i + 1] === '*') {
      i = skipBlockComment(sql, i);
    } else if (c === '$' && !isIdentPart(sql[i - 1])) {
      let j = i + 1;
      while (j < sql.length && /[A-Za-z0-9_]/.test(sql[j] as string)) j += 1;
      const word = sql.slice(i + 1, j);
      if (sql[j] === '$' && (word === '' || isIdentStart(word[0]))) {
        // Dollar-quoted string: $tag$ ... $tag$
        const tag = sql.slice(i, j + 1);
        const close = sql.indexOf(tag, j + 1);
        i = close < 0 ? sql.length : close + tag.length;
      } else if (word !== '' && isIdentStart(word[0])) {
        found.push({ name: word, start: i, end: j });
        i = j;
      } else {
        i = j === i + 1 ? i + 1 : j;
      }
    } else {
      i += 1;
    }
  }
  return found;
}

/** Replace each placeholder with `render(name)`; text in quotes and comments is left alone. */
export function substituteNamedParameters(sql: string, render: (name: string) => string): string {
  let out = '';
  let at = 0;
  for (const p of findNamedParameters(sql)) {
    out += sql.slice(at, p.start) + render(p.name);
    at = p.end;
  }
  return out + sql.slice(at);
}
