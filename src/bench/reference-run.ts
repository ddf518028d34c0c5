import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { compareWithReference, runReference, type ReferenceVariant } from './reference-compare.js';

export interface ReferenceFigures {
  variant: string;
  /** read + validate (the reference's counterpart of cxray's staging). */
  readSeconds: number;
  /** Per-customer facts. */
  factsSeconds: number;
  /** The analysis steps (the profile today; each analysis issue adds its own). */
  analysisSeconds: number;
  /** Wall clock of the whole process, interpreter start and writing included. */
  totalSeconds: number;
  peakRssMiB: number;
  /** Every figure compared with the cxray workspace of the same rung. */
  agreement: { ok: boolean; summary: string; mismatches: string[] };
}

/**
 * The pandas reference (bench/reference) on one company with Debian's
 * python3, then checked figure by figure against a cxray workspace imported
 * from the same files (src/bench/reference-compare.ts).
 */
export async function measureReference(options: { company: string; asOf: string; variant: ReferenceVariant; outDir: string; workspace: string | null }): Promise<ReferenceFigures> {
  await mkdir(options.outDir, { recursive: true });
  const out = join(options.outDir, 'reference.json');
  const run = await runReference({ company: options.company, variant: options.variant, out, asOf: options.asOf });
  let agreement: ReferenceFigures['agreement'] = { ok: false, summary: 'not checked: no DuckDB workspace in this run', mismatches: [] };
  let timings: Record<string, number> = {};
  let peak = 0;
  if (options.workspace !== null) {
    const comparison = await compareWithReference(out, options.workspace);
    timings = comparison.referenceTimings;
    peak = comparison.referencePeakRssMiB;
    const differing = comparison.checks.filter((c) => c.differing > 0);
    const values = comparison.checks.reduce((sum, c) => sum + c.compared, 0);
    agreement = {
      ok: comparison.agree,
      summary: comparison.agree
        ? `all ${comparison.checks.length} figures agree (${values.toLocaleString('en-US')} values)`
        : `${differing.length} of ${comparison.checks.length} figures differ: ${differing.map((c) => c.figure).join(', ')}`,
      mismatches: differing.flatMap((c) => c.examples.map((e) => `${c.figure}: ${JSON.stringify(e)}`)),
    };
  }
  return {
    variant: options.variant,
    readSeconds: (timings['read'] ?? 0) + (timings['validate'] ?? 0),
    factsSeconds: timings['facts'] ?? 0,
    // Every analysis step the reference times (profile, perfect_customer, key_drivers, value, lifetime_value): what cxray's analyze is compared with.
    analysisSeconds: (timings['profile'] ?? 0) + (timings['perfect_customer'] ?? 0) + (timings['key_drivers'] ?? 0) + (timings['value'] ?? 0) + (timings['lifetime_value'] ?? 0),
    totalSeconds: run.seconds,
    peakRssMiB: Math.round(peak),
    agreement,
  };
}
