import type { RowValue } from '../../engine/types.js';
import { scopeQuery, scopeSelect } from '../scope-query.js';
import { requiredNumber } from '../sql-values.js';
import type { AnalysisContext } from '../types.js';
import { factsHistoryColumns, type HistorySql } from './histories.js';

/** `count` customers sharing one history, in whole days, with their holdout purchase days. */
export interface HistoryRow {
  x: number;
  txDays: number;
  TDays: number;
  holdout: number;
  count: number;
}

/** `count` repeat buyers with x repeat purchase days averaging `meanSpendCents` (rounded to the cent) each. */
export interface SpendCentsRow {
  x: number;
  meanSpendCents: number;
  count: number;
}

export interface Summaries {
  histories: HistoryRow[];
  spend: SpendCentsRow[];
  /** Repeat buyers left out of the spend model: their repeat purchases add up to nothing or less. */
  spendExcluded: number;
}

const byHistory = (a: HistoryRow, b: HistoryRow): number => a.x - b.x || a.txDays - b.txDays || a.TDays - b.TDays || a.holdout - b.holdout;

/**
 * The compressed summaries, counted in SQL: one GROUP BY (x, tₓ, T[, holdout
 * days]) over the customers in scope, and one GROUP BY (x, mean repeat spend
 * in cents) over the repeat buyers. Both are counts, so shards' partial
 * results merge. Rows come back sorted, so that fits on any engine see the
 * same rows in the same order and give the same numbers.
 */
export async function countSummaries(ctx: AnalysisContext, histories: HistorySql, holdout: boolean): Promise<Summaries> {
  const d = ctx.engine.dialect;
  const q = d.quoteIdent;
  const n = `count(*) AS ${q('_n')}`;
  const columns = holdout ? histories : { ...factsHistoryColumns(ctx), holdout: '0' };
  const historyRows = await scopeQuery<Record<string, RowValue>>(
    ctx,
    scopeSelect(ctx, {
      items: [`${columns.x} AS ${q('_x')}`, `${columns.tx} AS ${q('_tx')}`, `${columns.T} AS ${q('_t')}`, `${columns.holdout} AS ${q('_ho')}`, n],
      ...(holdout ? { join: histories.join } : {}),
      where: [columns.eligible],
      groupBy: [q('_x'), q('_tx'), q('_t'), q('_ho')],
    }),
    histories.values,
  );
  // Mean spend per repeat purchase day, rounded to the cent in SQL (floor(v + 0.5), the same on every engine), so that repeat buyers compress.
  const cents = `floor(${d.toDouble(histories.repeatSpend)} * 100 / ${histories.x} + 0.5)`;
  const spendRows = await scopeQuery<Record<string, RowValue>>(
    ctx,
    scopeSelect(ctx, {
      items: [`${histories.x} AS ${q('_x')}`, `${cents} AS ${q('_c')}`, n],
      join: histories.join,
      where: [histories.eligible, `${histories.x} >= 1`],
      groupBy: [q('_x'), q('_c')],
    }),
    histories.values,
  );
  const spend: SpendCentsRow[] = [];
  let spendExcluded = 0;
  for (const row of spendRows) {
    const count = requiredNumber(row['_n'], 'repeat buyers');
    const meanSpendCents = row['_c'] === null ? 0 : requiredNumber(row['_c'], 'mean spend');
    if (meanSpendCents <= 0) spendExcluded += count;
    else spend.push({ x: requiredNumber(row['_x'], 'x'), meanSpendCents, count });
  }
  spend.sort((a, b) => a.x - b.x || a.meanSpendCents - b.meanSpendCents);
  return {
    histories: historyRows
      .map((row) => ({
        x: requiredNumber(row['_x'], 'x'),
        txDays: requiredNumber(row['_tx'], 'recency'),
        TDays: requiredNumber(row['_t'], 'age'),
        holdout: requiredNumber(row['_ho'], 'holdout purchases'),
        count: requiredNumber(row['_n'], 'customers'),
      }))
      .sort(byHistory),
    spend,
    spendExcluded,
  };
}

/** The weighted median of T in days. */
export function medianAgeDays(rows: readonly HistoryRow[]): number {
  const sorted = [...rows].sort((a, b) => a.TDays - b.TDays);
  const total = sorted.reduce((sum, row) => sum + row.count, 0);
  let seen = 0;
  for (const row of sorted) {
    seen += row.count;
    if (seen * 2 >= total) return row.TDays;
  }
  return 0;
}
