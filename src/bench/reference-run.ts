import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { COMPARED_ANALYSES, compareWithReference, REFERENCE_STEPS, runReference, type ComparedResults, type ReferenceDocument, type ReferenceVariant } from './reference-compare.js';

export interface ReferenceFigures {
  variant: string;
  /** read + validate (the reference's counterpart of cxray's staging). */
  readSeconds: number;
  /** Per-customer facts. */
  factsSeconds: number;
  /** Every analysis step together (REFERENCE_STEPS): what cxray's analyze is compared with. */
  analysisSeconds: number;
  /** Seconds of each analysis's step, by cxray's analysis name (bench/reference's `timings`). */
  steps: Record<string, number>;
  /** Wall clock of the whole process, interpreter start and writing included. */
  totalSeconds: number;
  peakRssMiB: number;
  /** Every figure compared with the cxray workspace of the same rung. */
  agreement: { ok: boolean; summary: string; mismatches: string[] };
}

/**
 * The pandas reference (bench/reference) on one company with Debian's
 * python3, then checked figure by figure against a cxray workspace imported
 * from the same files (src/bench/reference-compare.ts). `results`: cxray's
 * Results on that workspace (comparedResults), shared by the variants.
 */
export async function measureReference(options: { company: string; asOf: string; variant: ReferenceVariant; outDir: string; workspace: string | null; results?: ComparedResults }): Promise<ReferenceFigures> {
  await mkdir(options.outDir, { recursive: true });
  const out = join(options.outDir, 'reference.json');
  // With the workspace's cxray.yaml (init's, and the simulated A/B test): the reference reads its experiments and store/changes.json as cxray does.
  const config = options.workspace === null ? {} : { config: join(options.workspace, 'cxray.yaml') };
  const run = await runReference({ company: options.company, variant: options.variant, out, asOf: options.asOf, ...config });
  const document = JSON.parse(await readFile(out, 'utf8')) as Pick<ReferenceDocument, 'timings' | 'peak_rss_mib'>;
  const timings = document.timings;
  let agreement: ReferenceFigures['agreement'] = { ok: false, summary: 'not checked: no DuckDB workspace in this run', mismatches: [] };
  if (options.workspace !== null) {
    const comparison = await compareWithReference(out, options.workspace, options.results === undefined ? {} : { results: options.results });
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
  const steps = Object.fromEntries(COMPARED_ANALYSES.map((name) => [name, timings[REFERENCE_STEPS[name]] ?? NaN]));
  return {
    variant: options.variant,
    readSeconds: (timings['read'] ?? 0) + (timings['validate'] ?? 0),
    factsSeconds: timings['facts'] ?? 0,
    analysisSeconds: Object.values(steps).reduce((sum, x) => sum + (Number.isFinite(x) ? x : 0), 0),
    steps,
    totalSeconds: run.seconds,
    peakRssMiB: Math.round(document.peak_rss_mib),
    agreement,
  };
}
