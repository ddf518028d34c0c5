import { cohortMixSection } from '../profile/cohort-mix.js';
import type { SectionOutput } from '../profile/section.js';
import type { AnalysisContext } from '../types.js';

/**
 * Without an ideal profile to follow, the profile's own view of the mix:
 * each signup cohort by acquisition channel (and the other attributes known
 * at acquisition), with the first year against the last screened for drift
 * (profile/cohort-mix.ts). Its findings are mix's claims here, under mix's codes.
 */
export async function channelMixFallback(ctx: AnalysisContext): Promise<SectionOutput> {
  const section = await cohortMixSection(ctx);
  return { ...section, findings: (section.findings ?? []).map((f) => ({ ...f, code: f.code.replace(/^profile\.mix_drift$/, 'mix.channel_drift') })) };
}
