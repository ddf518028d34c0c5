/**
 * Shared pieces of the engines' small SQL scanners (parameter substitution,
 * statement routing): they skip quoted text, never parse it.
 */

/**
 * Offset just past a quoted token opened at `from`: a doubled quote stays
 * inside, and so does a backslash-escaped character where the dialect has
 * backslash escapes. An unterminated token runs to the end of the text.
 */
export function skipQuoted(sql: string, from: number, quote: string, backslashEscapes: boolean): number {
  let i = from + 1;
  while (i < sql.length) {
    const c = sql[i];
    if (backslashEscapes && c === '\\') {
      i += 2;
      continue;
    }
    if (c === quote) {
      if (sql[i + 1] === quote) {
        i += 2;
        continue;
      }
      return i + 1;
    }
    i += 1;
  }
  return sql.length;
}

/** A statement's rows must each have one value per column. */
export function assertRowShape(columns: readonly string[], rows: readonly (readonly unknown[])[]): void {
  if (columns.length === 0) throw new TypeError('insertRows needs at least one column');
  for (const [i, row] of rows.entries()) {
    if (row.length !== columns.length) throw new TypeError(`Row ${i} has ${row.length} values for ${columns.length} columns`);
  }
}
