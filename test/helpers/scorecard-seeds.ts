import { expect } from 'vitest';
import type { AnalysisName } from '../../src/analysis/names.js';
import type { Result } from '../../src/analysis/result.js';
import type { Truth } from '../../src/simulate/truth.js';

// Issue 8's scorecard criterion over 10 seeds of a 20k-customer simulated
// company: in at least 9 of the 10, the planted weak area (truth.json
// drivers.weakArea, a latent offset of −0.8 where the other areas sit at
// +0.15 to +0.75) ranks weak: its whole 95% interval lies more than the
// default margin (5 points of 0-100) below the overall. Checked beside it,
// in at least 9 of 10 too: no area planted above the average offset is
// called weak. Each seed's scores are printed. The scorecard runs in the
// seeds' one analyze call after key-drivers, which it reads.

/** The analysis issue 8's scorecard seed check reads. */
export const SCORECARD_ANALYSIS: AnalysisName = 'scorecard';

export interface ScorecardOutcome {
  seed: number;
  /** The planted weak area ranks weak. */
  weakRanksWeak: boolean;
  /** No area planted above the average offset is called weak. */
  noStrongCalledWeak: boolean;
  /** Each area's score, interval and status, for the report. */
  numbers: string;
  detail: string[];
}

function rows(result: Result | undefined, table: string): Record<string, unknown>[] {
  const t = result?.tables.find((x) => x.name === table);
  return (t?.rows ?? []).map((r) => Object.fromEntries((t?.columns ?? []).map((c, i) => [c.name, r[i]])));
}

const fmt = (x: unknown): string => (typeof x === 'number' ? x.toFixed(1) : String(x));

export function scorecardOutcome(seed: number, truth: Truth, result: Result | undefined): ScorecardOutcome {
  const detail: string[] = [];
  if (result?.status !== 'ok') detail.push(`scorecard ${result?.status ?? 'missing'}: ${result?.reason ?? ''}`);
  const areas = rows(result, 'scorecard_areas');
  const byLabel = (label: string): Record<string, unknown> | undefined => areas.find((r) => r['label'] === label);
  const offsets = truth.drivers.planted.latentAreaOffsets;
  const average = Object.values(offsets).reduce((s, x) => s + x, 0) / Math.max(1, Object.values(offsets).length);
  const weak = truth.drivers.areas.find((a) => a.key === truth.drivers.weakArea);
  const weakRow = byLabel(weak?.label ?? '');
  const weakRanksWeak = weakRow?.['status'] === 'weak';
  if (!weakRanksWeak) detail.push(`${weak?.label ?? truth.drivers.weakArea} is ${String(weakRow?.['status'])} (${fmt(weakRow?.['score'])} [${fmt(weakRow?.['lower'])}, ${fmt(weakRow?.['upper'])}] against ${fmt(weakRow?.['overall'])})`);
  const strongWeak = truth.drivers.areas.filter((a) => (offsets[a.key] ?? 0) > average && byLabel(a.label)?.['status'] === 'weak');
  if (strongWeak.length > 0) detail.push(`planted above average yet weak: ${strongWeak.map((a) => a.label).join(', ')}`);
  const numbers = areas.map((r) => `${String(r['area'])} ${fmt(r['score'])} [${fmt(r['lower'])}, ${fmt(r['upper'])}] ${String(r['status'])}`).join('; ') + ` (overall ${fmt(areas[0]?.['overall'])})`;
  return { seed, weakRanksWeak, noStrongCalledWeak: strongWeak.length === 0, numbers, detail };
}

/** Issue 8's scorecard criteria over all seeds' outcomes. */
export function checkScorecardOutcomes(outcomes: readonly ScorecardOutcome[]): void {
  const report = outcomes
    .map((o) => `seed ${o.seed}: weak ranks weak ${o.weakRanksWeak}, no strong called weak ${o.noStrongCalledWeak}: ${o.numbers}${o.detail.length === 0 ? '' : ` (${o.detail.join('; ')})`}`)
    .join('\n');
  process.stderr.write(`scorecard over the seeds:\n${report}\n`);
  for (const criterion of ['weakRanksWeak', 'noStrongCalledWeak'] as const) {
    expect(outcomes.filter((o) => o[criterion]).length, `${criterion}\n${report}`).toBeGreaterThanOrEqual(9);
  }
}
