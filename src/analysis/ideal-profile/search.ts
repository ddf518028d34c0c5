import type { SqlDialect } from '../../engine/dialect.js';
import type { Row } from '../../engine/types.js';
import type { Grouping } from '../profile/groupings.js';
import { scopeSelect } from '../scope-query.js';
import { numberOf, SqlValues } from '../sql-values.js';
import type { AnalysisContext } from '../types.js';
import { makeRule, NO_SUMS, ruleSql, subtractSums, type Condition, type Rule, type Sums } from './rule.js';

/** A per-customer score the rules are searched on, as SQL over customer_facts (and one join). */
export interface ScoreSource {
  /** DOUBLE per customer. */
  score: string;
  join: string | null;
  /** Customers who have a score. */
  where: string[];
  /** Runs a query with the scope's parameters, the score's and `values`'. */
  query(sql: string, values: SqlValues): Promise<Row[]>;
}

export interface SearchOptions {
  /** Rules kept at each depth. */
  beamWidth: number;
  /** Conditions per rule at most. */
  maxDepth: number;
  /** Rules in the list at most (one per round of covering). */
  maxRules: number;
  /** Training customers a rule must cover at least. */
  minimum: number;
  /** A rule is taken only if its z against the other customers searched on the training half reaches this. */
  minimumZ: number;
}

export const DEFAULT_SEARCH: Omit<SearchOptions, 'minimum'> = { beamWidth: 5, maxDepth: 3, maxRules: 3, minimumZ: 3 };

/** A rule as the search found it on the training half. */
export interface FoundRule {
  rule: Rule;
  /** Training customers it covers among those no earlier rule covers, and the rest of those. */
  covered: Sums;
  rest: Sums;
  /** The lower 95% bound of the covered customers' mean score (sd of all customers searched): the search's quality. */
  quality: number;
  /** (mean covered − mean rest) / (sd of all · √(1/n₁ + 1/n₂)): how clearly it stands out on the training half. */
  z: number;
  round: number;
}

export interface SearchResult {
  rules: FoundRule[];
  /** GROUP BY queries run (one per attribute combination and round). */
  queries: number;
  /** Cells scored on the training half. */
  cellsScored: number;
}

/**
 * Which half a customer falls in: 1 (held out) when bit 12 of the portable
 * hash of its id is set, else 0 (training). Bit 12, not bit 0: the bootstrap
 * deals customers into blocks by the hash modulo 4096, so this half is
 * independent of the blocks. The same customers on every engine.
 */
export function halfSql(d: SqlDialect, id = d.quoteIdent('customer_id')): string {
  return `(CASE WHEN ${d.hashString(id)} % 8192 >= 4096 THEN 1 ELSE 0 END)`;
}

/**
 * Quality of a cell: a pessimistic mean, the lower 95% bound of its
 * customers' mean score with the common standard deviation of everyone
 * searched. The ideal profile is the best-scoring group, not the largest
 * one that differs (a z statistic grows with size, so it would prefer half
 * the customers a little better to a tenth much better); the bound keeps a
 * few lucky customers from outranking a large group nearly as good.
 */
export function cellQuality(covered: Sums, rest: Sums): number {
  const all = { n: covered.n + rest.n, sum: covered.sum + rest.sum, squares: covered.squares + rest.squares };
  if (covered.n < 1 || all.n < 3) return Number.NEGATIVE_INFINITY;
  const m = all.sum / all.n;
  const variance = Math.max(0, (all.squares - all.n * m * m) / (all.n - 1));
  return covered.sum / covered.n - 1.959963984540054 * Math.sqrt(variance / covered.n);
}

/** How clearly a cell stands out from the rest of the customers searched: a z statistic with the common variance. */
export function cellZ(covered: Sums, rest: Sums): number {
  const all = { n: covered.n + rest.n, sum: covered.sum + rest.sum, squares: covered.squares + rest.squares };
  if (covered.n < 1 || rest.n < 1 || all.n < 3) return Number.NEGATIVE_INFINITY;
  const m = all.sum / all.n;
  const variance = Math.max(0, (all.squares - all.n * m * m) / (all.n - 1));
  const gap = covered.sum / covered.n - rest.sum / rest.n;
  const se = Math.sqrt(variance * (1 / covered.n + 1 / rest.n));
  return se > 0 ? gap / se : gap > 0 ? Number.POSITIVE_INFINITY : gap < 0 ? Number.NEGATIVE_INFINITY : 0;
}

interface Cell {
  conditions: Condition[];
  sums: Sums;
}

/** The training-half cells of one combination of groupings, in one GROUP BY, among customers no rule in `excluded` covers. */
async function combinationCells(ctx: AnalysisContext, source: ScoreSource, combination: readonly Grouping[], excluded: readonly Rule[]): Promise<Cell[]> {
  const d = ctx.engine.dialect;
  const q = d.quoteIdent;
  const values = new SqlValues(ctx.engine, 'ipc');
  const s = d.toDouble(source.score);
  const sql = scopeSelect(ctx, {
    items: [...combination.map((g, i) => `${g.expr} AS ${q(`_g${i}`)}`), `count(*) AS ${q('_n')}`, `sum(${s}) AS ${q('_s')}`, `sum(${s} * ${s}) AS ${q('_q')}`],
    ...(source.join === null ? {} : { join: source.join }),
    where: [...source.where, `${halfSql(d)} = 0`, ...excluded.map((r) => `NOT ${ruleSql(r, values)}`)],
    groupBy: combination.map((g) => g.expr),
  });
  const rows = await source.query(sql, values);
  return rows.map((r) => ({
    conditions: combination.map((grouping, i) => ({ grouping, level: String(r[`_g${i}`]) })),
    sums: { n: numberOf(r['_n']) ?? 0, sum: numberOf(r['_s']) ?? 0, squares: numberOf(r['_q']) ?? 0 },
  }));
}

/** Equal up to the rounding of sums added in another order (relative 1e-9). */
const sameQuality = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));

const refines = (cell: Cell, parent: Rule): boolean => parent.conditions.every((p) => cell.conditions.some((c) => c.grouping === p.grouping && c.level === p.level));

/**
 * The ideal profile's split search, pushed down: on the training half, a
 * beam search over conjunctions of up to `maxDepth` conditions (each depth
 * one GROUP BY per attribute combination that extends a rule in the beam),
 * scored by the lower bound of their customers' mean score (cellQuality),
 * among those standing out from the other customers searched by a z of at
 * least `minimumZ`; the best rule is taken, its customers removed, and the
 * search run again (sequential covering) for a short list.
 */
export async function searchRules(ctx: AnalysisContext, source: ScoreSource, groupings: readonly Grouping[], options: SearchOptions): Promise<SearchResult> {
  const found: FoundRule[] = [];
  let queries = 0;
  let cellsScored = 0;
  for (let round = 0; round < options.maxRules; round += 1) {
    const excluded = found.map((f) => f.rule);
    const cache = new Map<string, Cell[]>();
    const cellsOf = async (combination: Grouping[]): Promise<Cell[]> => {
      const key = combination.map((g) => g.key).join('|');
      const hit = cache.get(key);
      if (hit !== undefined) return hit;
      queries += 1;
      const cells = await combinationCells(ctx, source, combination, excluded);
      cache.set(key, cells);
      return cells;
    };
    // Everyone searched this round: the sum over the cells of any one grouping.
    const first = groupings[0];
    if (first === undefined) break;
    const total = (await cellsOf([first])).reduce((acc, c) => ({ n: acc.n + c.sums.n, sum: acc.sum + c.sums.sum, squares: acc.squares + c.sums.squares }), NO_SUMS);
    if (total.n < 2 * options.minimum) break;
    let beam: { rule: Rule | null; n: number }[] = [{ rule: null, n: total.n }];
    let best: FoundRule | null = null;
    for (let depth = 1; depth <= options.maxDepth; depth += 1) {
      const candidates = new Map<string, FoundRule>();
      for (const parent of beam) {
        const used = new Set(parent.rule?.conditions.map((c) => c.grouping) ?? []);
        for (const g of groupings) {
          if (used.has(g)) continue;
          const combination = groupings.filter((x) => used.has(x) || x === g);
          for (const cell of await cellsOf(combination)) {
            if (parent.rule !== null && !refines(cell, parent.rule)) continue;
            if (cell.sums.n < options.minimum) continue;
            // A condition that removes no one from its parent names the same customers in more words.
            if (parent.rule !== null && cell.sums.n === parent.n) continue;
            const rule = makeRule(cell.conditions, groupings);
            if (candidates.has(rule.key)) continue;
            cellsScored += 1;
            const rest = subtractSums(total, cell.sums);
            candidates.set(rule.key, { rule, covered: cell.sums, rest, quality: cellQuality(cell.sums, rest), z: cellZ(cell.sums, rest), round });
          }
        }
      }
      // Ties broken by key, so every engine keeps the same beam: qualities
      // come from DOUBLE sums each engine (and each DuckDB run: its threads)
      // adds in its own order, so equal cells differ in the last bits.
      const ranked = [...candidates.values()]
        .filter((c) => Number.isFinite(c.quality))
        .sort((a, b) => (sameQuality(a.quality, b.quality) ? (a.rule.key < b.rule.key ? -1 : 1) : b.quality - a.quality));
      const top = ranked.find((c) => c.z >= options.minimumZ);
      // A deeper rule must be clearly better: at a tie the shorter one stays.
      if (top !== undefined && (best === null || (top.quality > best.quality && !sameQuality(top.quality, best.quality)))) best = top;
      beam = ranked.slice(0, options.beamWidth).map((c) => ({ rule: c.rule, n: c.covered.n }));
      if (beam.length === 0) break;
    }
    if (best === null) break;
    found.push(best);
  }
  return { rules: found, queries, cellsScored };
}
