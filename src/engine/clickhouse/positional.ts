/**
 * `ORDER BY 1` and `GROUP BY 1` name the first select column in standard SQL;
 * ClickHouse before 22.7 reads the 1 as a constant, so ORDER BY 1 silently
 * leaves rows unordered (across shards, visibly so) and GROUP BY 1 puts every
 * row in one group. Such a statement is refused instead of answered wrongly
 * (capability `positionalReferences: false`).
 */
import { segments } from './lexer.js';

const CLAUSE_END = new Set(['LIMIT', 'HAVING', 'SETTINGS', 'FORMAT', 'UNION', 'WINDOW', 'OFFSET', 'INTO', 'FROM', 'WHERE', 'PREWHERE', 'ORDER', 'GROUP']);
const ITEM_SUFFIX = new Set(['ASC', 'DESC', 'ASCENDING', 'DESCENDING', 'NULLS', 'FIRST', 'LAST', 'WITH', 'FILL', 'ROLLUP', 'CUBE', 'TOTALS']);

interface Token {
  text: string;
  upper: string;
  kind: 'word' | 'number' | 'other';
}

function codeTokens(sql: string): Token[] {
  const out: Token[] = [];
  for (const seg of segments(sql)) {
    if (seg.kind === 'comment') continue;
    const text = sql.slice(seg.start, seg.end);
    if (seg.kind !== 'code') {
      out.push({ text, upper: text, kind: 'other' });
      continue;
    }
    for (const m of text.matchAll(/\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|[A-Za-z_][A-Za-z0-9_]*|\S/g)) {
      const kind = /^\d/.test(m[0]) ? 'number' : /^[A-Za-z_]/.test(m[0]) ? 'word' : 'other';
      out.push({ text: m[0], upper: m[0].toUpperCase(), kind });
    }
  }
  return out;
}

/** The first `ORDER BY n` / `GROUP BY n` (an item that is only an integer) in code, e.g. "ORDER BY 1", or undefined. */
export function findPositionalReference(sql: string): string | undefined {
  const tokens = codeTokens(sql);
  for (let i = 0; i + 1 < tokens.length; i += 1) {
    const clause = tokens[i] as Token;
    if ((clause.upper !== 'ORDER' && clause.upper !== 'GROUP') || tokens[i + 1]?.upper !== 'BY') continue;
    let depth = 0;
    let item: Token[] = [];
    const positional = (): boolean => {
      const core = item.filter((t) => !(t.kind === 'word' && ITEM_SUFFIX.has(t.upper)));
      return core.length === 1 && core[0]?.kind === 'number' && /^\d+$/.test(core[0].text);
    };
    for (let j = i + 2; j <= tokens.length; j += 1) {
      const t = tokens[j];
      const endsList = t === undefined || (depth === 0 && (t.text === ')' || t.text === ';' || (t.kind === 'word' && CLAUSE_END.has(t.upper))));
      if (endsList || (depth === 0 && t.text === ',')) {
        if (positional()) return `${clause.upper} BY ${item.map((x) => x.text).join(' ')}`;
        item = [];
        if (endsList) break;
        continue;
      }
      if (t.text === '(') depth += 1;
      if (t.text === ')') depth -= 1;
      item.push(t);
    }
  }
  return undefined;
}
