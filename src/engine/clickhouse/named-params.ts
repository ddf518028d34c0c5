/**
 * `$name` parameters for a server without server-side binding (18.16): each
 * placeholder in code is replaced by `dialect.literal(value)`, the one audited
 * escaper. Placeholders in strings, quoted identifiers and comments are text,
 * found by ClickHouse's own lexical rules (lexer.ts).
 */
import type { SqlParams, SqlValue } from '../types.js';
import { findPlaceholders } from './lexer.js';

const PARAMETER_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The statement with every placeholder rendered. Every given name must be
 * valid (a TypeError otherwise, used or not); a placeholder without a value is
 * a TypeError; values the statement does not name are ignored, not rendered.
 */
export function substituteParameters(sql: string, params: SqlParams | undefined, render: (value: SqlValue) => string): string {
  const given = params ?? {};
  for (const name of Object.keys(given)) {
    if (!PARAMETER_NAME.test(name)) throw new TypeError(`Invalid SQL parameter name ${JSON.stringify(name)}`);
  }
  const rendered = new Map<string, string>();
  let out = '';
  let at = 0;
  for (const p of findPlaceholders(sql)) {
    let text = rendered.get(p.name);
    if (text === undefined) {
      if (!Object.hasOwn(given, p.name)) throw new TypeError(`No value given for SQL parameter $${p.name}`);
      text = render(given[p.name] as SqlValue);
      rendered.set(p.name, text);
    }
    out += sql.slice(at, p.start) + text;
    at = p.end;
  }
  return out + sql.slice(at);
}
