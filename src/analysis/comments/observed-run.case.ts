import type { Engine } from '../../engine/types.js';
import type { Workspace } from '../../workspace/workspace.js';
import type { Result } from '../result.js';
import { runAnalyses } from '../run-analyses.js';
import type { Analysis, AnalysisFilter } from '../types.js';
import { commentsAnalysis } from './index.js';
import { runComments, type CommentsRun } from './run-comments.js';

/**
 * The comments analysis on a workspace's current import through
 * runAnalyses (on `engine` when given, else the workspace's own store),
 * with what the run computed comment by comment, to compare with planted
 * truth, and how long it took.
 */
export async function observedComments(ws: Workspace, filter: AnalysisFilter = {}, engine?: Engine): Promise<{ result: Result; run: CommentsRun; seconds: number }> {
  const { config, hash } = await ws.config();
  const store = engine === undefined ? await ws.openStore() : null;
  try {
    const version = store?.version ?? (await ws.currentVersion());
    const ledger = (await ws.versions()).find((v) => v.version === version);
    if (ledger === undefined) throw new Error('no ledger');
    let run: CommentsRun | undefined;
    const observed: Analysis = { ...commentsAnalysis, run: (ctx) => runComments(ctx, commentsAnalysis, (r) => (run = r)) };
    const started = performance.now();
    const out = await runAnalyses(
      { workspace: ws.paths.root, engine: engine ?? (store as { engine: Engine }).engine, ledger, config, configHash: hash, resultsDir: null, snapshotsDir: null, analyses: [observed] },
      { names: ['comments'], filter },
    );
    const seconds = (performance.now() - started) / 1000;
    const result = out.results[0];
    if (result === undefined || run === undefined) throw new Error(`comments did not run: ${result?.reason ?? ''}`);
    return { result, run, seconds };
  } finally {
    await store?.close();
  }
}
