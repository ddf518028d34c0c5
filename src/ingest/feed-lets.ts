import type { SqlDialect } from '../engine/dialect.js';

/**
 * An intermediate value of a feed (`_l<n>` from a parser's bind, `_t<n>` a
 * shared trim), computed once per row in an inner projection: `level` 1
 * reads only raw cells, level k reads values of lower levels.
 */
export interface FeedLet {
  name: string;
  sql: string;
  level: number;
}

/** Each let's level: 1 + the highest level among the lets it reads (lets are in dependency order). */
export function setLevels(lets: FeedLet[]): void {
  const levelOf = new Map<string, number>();
  for (const l of lets) {
    let level = 1;
    for (const m of l.sql.matchAll(/"(_[lt]\d+)"/g)) level = Math.max(level, (levelOf.get(m[1] as string) ?? 0) + 1);
    levelOf.set(l.name, level);
    l.level = level;
  }
}

/**
 * Every check, coercion and parser trims the raw cells it reads, so a cell
 * was trimmed five or six times per row (trim is one of the costlier steps
 * of typing a wide file). Each raw cell's trim becomes one level-1 value
 * (`_t<n>`) that all of them read. The feed's where-predicate runs before
 * any lets, so it keeps its own trims.
 */
export function shareTrims(
  d: SqlDialect,
  lets: FeedLet[],
  columns: { sql: string }[],
  checks: { when: string }[],
  coercions: { when: string }[],
  identityKeys: { sql: string }[],
  answers: { columns: { sql: string }[]; checks: { when: string }[] }[] | null,
): void {
  const shared = new Map<string, string>();
  const pattern = /(?<![A-Za-z0-9_])trim\((r\."h\d+")\)/g;
  const rewrite = (sql: string): string =>
    sql.replace(pattern, (_, cell: string) => {
      let name = shared.get(cell);
      if (name === undefined) {
        name = `_t${shared.size + 1}`;
        shared.set(cell, name);
      }
      return `r.${d.quoteIdent(name)}`;
    });
  for (const l of lets) l.sql = rewrite(l.sql);
  for (const c of columns) c.sql = rewrite(c.sql);
  for (const c of checks) c.when = rewrite(c.when);
  for (const c of coercions) c.when = rewrite(c.when);
  for (const k of identityKeys) k.sql = rewrite(k.sql);
  for (const a of answers ?? []) {
    for (const c of a.columns) c.sql = rewrite(c.sql);
    for (const c of a.checks) c.when = rewrite(c.when);
  }
  lets.unshift(...[...shared.entries()].map(([cell, name]) => ({ name, sql: `trim(${cell})`, level: 1 })));
}
