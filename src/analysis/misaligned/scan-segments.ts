import type { Grouping } from '../profile/groupings.js';
import { scopeSelect } from '../scope-query.js';
import type { SqlValues } from '../sql-values.js';
import type { AnalysisContext } from '../types.js';
import { measuresQuery, type CustomerMeasures } from '../value/measures.js';
import { readSums, sumItems, type GroupSums } from '../value/sums.js';
import { CELL_SPEC, combinationCells, combinations, MAX_CONDITIONS, scannableGroupings, type Cell } from './cells.js';
import { scanCells, type ScanOptions, type ScanResult } from './scan.js';

export interface SegmentScan {
  overall: GroupSums;
  cells: Cell[];
  scan: ScanResult;
  /** Groupings scanned, and those left out for having too many levels. */
  groupings: Grouping[];
  left: Grouping[];
  /** Combinations queried per number of conditions (index 0: one attribute). */
  combinations: number[];
  options: ScanOptions;
}

export function scanOptions(ctx: AnalysisContext): ScanOptions {
  return {
    fdr: ctx.thresholds.fdr,
    money: ctx.thresholds.byUnit[ctx.config.currency] ?? 1,
    points: ctx.thresholds.byUnit['points'] ?? 2,
    minimum: ctx.thresholds.minimumCellCount,
  };
}

/**
 * Every cell of one, two and three groupings, one GROUP BY query per
 * combination, and the scan of them all against the customers in scope.
 */
export async function scanSegments(ctx: AnalysisContext, measures: CustomerMeasures, groupings: readonly Grouping[], values: SqlValues): Promise<SegmentScan> {
  const options = scanOptions(ctx);
  const [row] = await measuresQuery(ctx, measures, scopeSelect(ctx, { items: sumItems(ctx, measures, CELL_SPEC), ...(measures.join === undefined ? {} : { join: measures.join }), where: measures.where }));
  const overall = readSums(ctx, row ?? {}, CELL_SPEC);
  const scannable = await scannableGroupings(ctx, groupings, values);
  const cells: Cell[] = [];
  const counts = Array.from({ length: MAX_CONDITIONS }, () => 0);
  for (const combination of combinations(scannable.groupings)) {
    counts[combination.length - 1] = (counts[combination.length - 1] ?? 0) + 1;
    cells.push(...(await combinationCells(ctx, measures, combination, options.minimum)));
  }
  return { overall, cells, scan: scanCells(cells, overall, options), groupings: scannable.groupings, left: scannable.left, combinations: counts, options };
}
