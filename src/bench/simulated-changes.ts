import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { changesAnalysisFor } from '../analysis/changes/index.js';
import { ANALYSES } from '../analysis/registry.js';
import type { Analysis } from '../analysis/types.js';
import { simulatedChange, simulatedExperimentYaml } from '../simulate/index.js';
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
  await appendFile(ws.paths.config, simulatedExperimentYaml(truth));
  const change = simulatedChange(truth);
  if ((await ws.changes()).some((c) => c.name === change.name)) return;
  await ws.addChange({ name: change.name, date: change.date, segment: change.segment });
}

/** The registered analyses with `changes` bound to the workspace's stored changes, as Workspace.analyze binds them. */
export function workspaceAnalyses(ws: Workspace): Analysis[] {
  return ANALYSES.map((a) => (a.name === 'changes' ? changesAnalysisFor(() => ws.changes()) : a));
}
