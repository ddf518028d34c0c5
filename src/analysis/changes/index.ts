import { createHash } from 'node:crypto';
import type { Analysis } from '../types.js';
import type { ChangeDefinition } from './change.js';
import { runChanges } from './run-changes.js';

export { changeSchema, changeSlug, CHANGE_WINDOW_DEFAULTS, MAX_WINDOW_MONTHS, type ChangeDefinition } from './change.js';
export { changeWindows, type ChangeWindows } from './windows.js';
export { NOTHING_TO_MEASURE } from './run-changes.js';

/** How the stored changes are named among a result's input hashes. */
export const CHANGES_INPUT = 'store/changes.json';

const SPEC = {
  name: 'changes',
  title: 'Measured changes',
  description: 'The effect of a change on satisfaction, adoption, churn and revenue: difference-in-differences of its segment against a comparison group (clustered by customer, with a pre-trend check); and A/B test readouts.',
  needs: ['customers'],
  needsColumns: ['customer_id'],
  dependsOn: [],
  implemented: true,
  revision: 2,
} as const satisfies Omit<Analysis, 'run'>;

/**
 * `changes` over the given changes (the workspace's stored ones: Workspace
 * binds a reader of them, read when the analysis runs, so a damaged file
 * fails this analysis alone; `cxray changes add` stores them) and the
 * experiments of cxray.yaml.
 *
 * @example
 * const analysis = changesAnalysisFor([{ name: 'North network upgrade', date: '2025-10-01', segment: "region = 'North'" }]);
 */
export function changesAnalysisFor(changes: readonly ChangeDefinition[] | (() => Promise<readonly ChangeDefinition[]>)): Analysis {
  const read = async (): Promise<readonly ChangeDefinition[]> => (typeof changes === 'function' ? await changes() : changes);
  const analysis: Analysis = {
    ...SPEC,
    needs: [...SPEC.needs],
    needsColumns: [...SPEC.needsColumns],
    dependsOn: [],
    // The stored changes are an input: a result is not reused once they differ (store/changes.json edited by hand, say).
    inputs: async (): Promise<Record<string, string>> => {
      const stored = await read();
      return stored.length === 0 ? {} : { [CHANGES_INPUT]: createHash('sha256').update(JSON.stringify(stored)).digest('hex') };
    },
    run: async (ctx) => runChanges(ctx, analysis, await read()),
  };
  return analysis;
}

/** `changes` as registered: no stored change (a workspace's analyze binds its own), so only cxray.yaml's experiments are read out. */
export const changesAnalysis: Analysis = changesAnalysisFor([]);
