/**
 * The analyses cxray knows, fixed so that every face (CLI, API, dashboard)
 * and every test can rely on them. Order is the default run order before
 * dependencies are applied.
 */
export const ANALYSIS_NAMES = [
  'profile',
  'perfect-customer',
  'key-drivers',
  'value',
  'lifetime-value',
  'fit',
  'ideal-profile',
  'misaligned',
  'mix',
  'referrals',
  'bad-revenue',
  'fee-aftermath',
  'quarter-end',
  'value-balance',
  'scorecard',
  'comments',
  'changes',
] as const;

export type AnalysisName = (typeof ANALYSIS_NAMES)[number];

export function isAnalysisName(name: string): name is AnalysisName {
  return (ANALYSIS_NAMES as readonly string[]).includes(name);
}
