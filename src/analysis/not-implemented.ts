import type { CanonicalTableName } from '../model/tables.js';
import type { AnalysisName } from './names.js';
import { notRunResult } from './result-builder.js';
import type { Analysis } from './types.js';

export const NOT_IMPLEMENTED_REASON = 'not implemented yet in this version';

/**
 * An analysis whose name is fixed but which is not built yet. It says so
 * (`skipped`, "not implemented yet in this version"); it never returns
 * numbers it did not compute.
 */
export function notImplemented(spec: {
  name: AnalysisName;
  title: string;
  description: string;
  needs: CanonicalTableName[];
  dependsOn?: AnalysisName[];
}): Analysis {
  const analysis: Analysis = {
    name: spec.name,
    title: spec.title,
    description: spec.description,
    needs: spec.needs,
    needsColumns: [],
    dependsOn: spec.dependsOn ?? [],
    implemented: false,
    revision: 0,
    run: async (ctx) => notRunResult(ctx, analysis, 'skipped', NOT_IMPLEMENTED_REASON),
  };
  return analysis;
}
