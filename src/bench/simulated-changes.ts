import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { changesAnalysisFor } from '../analysis/changes/index.js';
import { ANALYSES } from '../analysis/registry.js';
import type { Analysis } from '../analysis/types.js';
import { snakeName } from '../init/names.js';
import { readTruth } from '../simulate/truth.js';
import type { Workspace } from '../workspace/workspace.js';

/**
 * The simulated company's A/B test declared in the workspace's cxray.yaml and
 * its intervention stored as a change, as `cxray demo` records them (its
 * owner would declare and record both), so that the bench's `changes`
 * measures the change and reads the experiment out on every measure, on the
 * engines and in the pandas reference (which reads store/changes.json and
 * the experiments with --config). Call after `init`, before the import (the
 * rule is stored as written: already in normal form).
 */
export async function recordSimulatedChanges(ws: Workspace, company: string): Promise<void> {
  const truth = await readTruth(join(company, 'truth.json'));
  const e = truth.experiment;
  await appendFile(
    ws.paths.config,
    `\n# the simulated company's A/B test (truth.json experiment)\nexperiments:\n  ${snakeName(e.name)}: {label: ${JSON.stringify(e.name)}, attribute: ${snakeName(e.column)}, control: ${JSON.stringify(e.control)}, treatment: ${JSON.stringify(e.treatment)}}\n`,
  );
  const iv = truth.intervention;
  if ((await ws.changes()).some((c) => c.name === iv.name)) return;
  await ws.addChange({ name: iv.name, date: iv.date, segment: `${snakeName(iv.segment.column)} = '${iv.segment.value}'` });
}

/** The registered analyses with `changes` bound to the workspace's stored changes, as Workspace.analyze binds them. */
export function workspaceAnalyses(ws: Workspace): Analysis[] {
  return ANALYSES.map((a) => (a.name === 'changes' ? changesAnalysisFor(() => ws.changes()) : a));
}
