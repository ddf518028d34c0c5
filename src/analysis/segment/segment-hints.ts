import { nearest } from '../../config/suggest.js';
import type { Engine } from '../../engine/types.js';
import type { ResolvedSegment } from './resolve.js';

/** Text values a rule compares with `=` or `IN`, per column. */
function textValues(tree: ResolvedSegment, out = new Map<string, Set<string>>()): Map<string, Set<string>> {
  switch (tree.kind) {
    case 'and':
    case 'or':
      tree.items.forEach((i) => textValues(i, out));
      break;
    case 'not':
      textValues(tree.item, out);
      break;
    case 'compare':
      if (tree.column.type === 'string' && tree.op === '=' && typeof tree.value === 'string') out.set(tree.column.name, (out.get(tree.column.name) ?? new Set()).add(tree.value));
      break;
    case 'in':
      if (tree.column.type === 'string' && !tree.negated) {
        const set = out.get(tree.column.name) ?? new Set();
        for (const v of tree.values) if (typeof v === 'string') set.add(v);
        out.set(tree.column.name, set);
      }
      break;
    default:
      break;
  }
  return out;
}

/**
 * For a rule that matched nobody: the text values no customer has, each with
 * the nearest value that exists ("retial: did you mean retail?").
 */
export async function segmentValueHints(engine: Engine, table: string, tree: ResolvedSegment): Promise<string[]> {
  const d = engine.dialect;
  const hints: string[] = [];
  for (const [column, wanted] of textValues(tree)) {
    const rows = await engine.query<{ v: string | null }>(`SELECT DISTINCT ${d.quoteIdent(column)} AS ${d.quoteIdent('v')} FROM ${d.quoteIdent(table)} LIMIT 1000`);
    const present = new Set(rows.map((r) => r.v).filter((v): v is string => v !== null));
    for (const value of wanted) {
      if (present.has(value)) continue;
      const near = nearest(value, present) ?? [...present].find((p) => p.toLowerCase() === value.toLowerCase());
      hints.push(near === undefined ? `no customer has ${column} = '${value}'` : `no customer has ${column} = '${value}'; did you mean '${near}'?`);
    }
  }
  return hints;
}
