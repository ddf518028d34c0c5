import { describe, expect, it } from 'vitest';
import { Workspace } from '../../workspace/workspace.js';
import { scannableGroupings } from '../misaligned/cells.js';
import { runAnalyses } from '../run-analyses.js';
import { SqlValues } from '../sql-values.js';
import type { Analysis, AnalysisContext } from '../types.js';
import { segmentGroupings } from '../value/segment-groupings.js';
import { fitLine } from './balance-math.js';
import { lineSums, meatSums } from './balance-sums.js';
import { customerValues } from './customer-values.js';
import { deliveredValue } from './delivered-value.js';
import { makeValueMap } from './hand-made.case.js';
import { valueBalanceAnalysis } from './index.js';
import { segmentResiduals } from './segment-residuals.js';

// The segments' residual sums come from one query over the cells of every
// grouping crossed, added up per level here; past CROSS_CELLS cells, from one
// query per grouping. Both must give the same sums, and the crossed query's
// overall B the one meatSums computes on its own.

/** The context runAnalyses builds for value-balance on `dir`, with a period. */
async function contextOf(dir: string): Promise<{ ctx: AnalysisContext; close: () => Promise<void> }> {
  const ws = new Workspace(dir);
  const { ledger } = await ws.import();
  const { config, hash } = await ws.config();
  const store = await ws.openStore();
  let captured: AnalysisContext | undefined;
  const probe: Analysis = { ...valueBalanceAnalysis, run: async (ctx) => { captured = ctx; return valueBalanceAnalysis.run(ctx); } };
  await runAnalyses({ workspace: dir, engine: store.engine, ledger, config, configHash: hash, resultsDir: null, snapshotsDir: null, analyses: [probe] }, { names: ['value-balance'], filter: { from: '2024-02-01' } });
  if (captured === undefined) throw new Error('value-balance did not run');
  return { ctx: captured, close: () => store.close() };
}

describe('the segments\' residual sums', () => {
  it('are the same from the crossed cells and from one query per grouping, and so is B', async () => {
    const { ctx, close } = await contextOf(makeValueMap({ events: true }));
    try {
      const values = new SqlValues(ctx.engine, 'vb');
      const delivered = await deliveredValue(ctx, values);
      const cv = await customerValues(ctx, values, delivered);
      const line = fitLine(await lineSums(ctx, cv), ['intercept', ...cv.axes]);
      const { groupings } = await scannableGroupings(ctx, segmentGroupings(ctx, values).groupings, values);
      const crossed = await segmentResiduals(ctx, cv, line, groupings, 5);
      const apart = await segmentResiduals(ctx, cv, line, groupings, 5, 0);
      expect(apart.meat).toBeNull();
      expect(crossed.groups.map((g) => [g.grouping.key, g.residuals.map((r) => [r.level, r.customers])])).toEqual([
        ['segment', [['A', 60], ['B', 60], ['C', 60], ['D', 60]]],
        ['region', [['north', 120], ['south', 120]]],
      ]);
      crossed.groups.forEach((g, i) => {
        g.residuals.forEach((r, k) => {
          const other = apart.groups[i]?.residuals[k];
          expect(other?.level).toBe(r.level);
          for (const [name, value] of Object.entries(r.sums)) {
            const theirs = (other?.sums as unknown as Record<string, number | number[]>)[name];
            if (Array.isArray(value)) value.forEach((v, j) => expect(v).toBeCloseTo((theirs as number[])[j] ?? Number.NaN, 6));
            else expect(value).toBeCloseTo(theirs as number, 6);
          }
        });
      });
      const meat = await meatSums(ctx, cv, line);
      meat.forEach((row, j) => row.forEach((v, k) => expect(crossed.meat?.[j]?.[k]).toBeCloseTo(v, 3)));
      // Not vacuous: the residuals of A are those of a segment 30% above the line.
      expect((crossed.groups[0]?.residuals[0]?.sums.e ?? 0) / (crossed.groups[0]?.residuals[0]?.sums.months ?? 1)).toBeGreaterThan(10);
    } finally {
      await close();
    }
  });
});
