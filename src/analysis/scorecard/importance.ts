import { keyDriversAnalysis } from '../key-drivers/index.js';
import type { Quadrant } from '../key-drivers/importance-performance.js';
import { unmetNeeds } from '../needs.js';
import type { Interval, Result } from '../result.js';
import type { AnalysisContext } from '../types.js';
import type { Status } from './status.js';

/** An experience area's weight in key-drivers' satisfaction model. */
export interface AreaImportance {
  /** Share of the explained variation in the overall answer, with its bootstrap interval. */
  share: number;
  interval: Interval;
  /** 1 = the largest driver. */
  rank: number;
}

export interface Importance {
  /** By experience area name (as key-drivers names its drivers). */
  byArea: Map<string, AreaImportance>;
  /** What an equal share would be (1 / areas weighed): the line between high and low importance. */
  equalShare: number;
  /** Areas weighed. */
  weighed: number;
}

/** Key-drivers' Result: from this run, else run here the same way (the scorecard called alone); its reason when it has no weights. */
async function keyDriversResult(ctx: AnalysisContext): Promise<{ result: Result | null; reason: string | null }> {
  const given = ctx.dependencies.get('key-drivers');
  const result = given ?? (unmetNeeds(keyDriversAnalysis, ctx) === null ? await keyDriversAnalysis.run(ctx) : null);
  if (result === null) return { result: null, reason: unmetNeeds(keyDriversAnalysis, ctx) };
  return { result, reason: result.status === 'ok' ? null : (result.reason ?? `key-drivers ${result.status}`) };
}

/**
 * The importance of each experience area: its share of the explained
 * variation in the overall survey answer (Johnson's relative weights, with
 * bootstrap intervals), read from key-drivers' `satisfaction_drivers`
 * table, so the scorecard and key-drivers never disagree about it. Null,
 * with the reason, when key-drivers has no weights for these customers.
 */
export async function areaImportance(ctx: AnalysisContext): Promise<{ importance: Importance | null; why: string | null }> {
  const { result, reason } = await keyDriversResult(ctx);
  if (result === null || reason !== null) return { importance: null, why: reason ?? 'key-drivers did not run' };
  const table = result.tables.find((t) => t.name === 'satisfaction_drivers');
  const at = (name: string): number => table?.columns.findIndex((c) => c.name === name) ?? -1;
  const byArea = new Map<string, AreaImportance>();
  for (const row of table?.rows ?? []) {
    const [driver, share, lower, upper, rank] = [row[at('driver')], row[at('share')], row[at('share_lower')], row[at('share_upper')], row[at('rank')]];
    if (typeof driver !== 'string' || typeof share !== 'number' || typeof lower !== 'number' || typeof upper !== 'number' || typeof rank !== 'number') continue;
    byArea.set(driver, { share, interval: { lower, upper, level: 0.95 }, rank });
  }
  if (byArea.size === 0) {
    const withheld = result.warnings.find((w) => w.startsWith('Satisfaction drivers:'));
    return { importance: null, why: withheld === undefined ? 'key-drivers weighed no experience area' : withheld.replace(/^Satisfaction drivers: /, '') };
  }
  return { importance: { byArea, equalShare: 1 / byArea.size, weighed: byArea.size }, why: null };
}

/**
 * Where an area stands on the importance x performance matrix, by its
 * status rather than by which side of a line its point falls: important
 * (at least an equal share) and weak is "fix first", important and strong
 * "keep up", less important and weak "low priority", less important and
 * strong "possible overkill"; an average area, or one key-drivers did not
 * weigh, has no quadrant (nothing clear to act on).
 */
export function quadrantOf(status: Status | null, importance: AreaImportance | undefined, equalShare: number): Quadrant | null {
  if (importance === undefined || status === null || status === 'average') return null;
  const important = importance.share >= equalShare;
  if (status === 'weak') return important ? 'fix first' : 'low priority';
  return important ? 'keep up' : 'possible overkill';
}
