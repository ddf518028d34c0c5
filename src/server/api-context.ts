import type { Workspace } from '../workspace/workspace.js';
import type { ImportJobs } from './import-jobs.js';
import type { Lane } from './lane.js';
import type { ResultCache } from './result-cache.js';
import type { VersionStores } from './version-stores.js';

/** What every route works with: the workspace and the server's shared state. */
export interface ApiContext {
  workspace: Workspace;
  /** Imports, changes and erase through the API (`cxray serve --allow-writes`). */
  allowWrites: boolean;
  /** Heavy work (analyses, scores) runs here, one piece at a time. */
  lane: Lane;
  readonly results: ResultCache;
  stores: VersionStores;
  imports: ImportJobs;
  /** Where the server logs what it cannot tell a client (bugs). */
  log(line: string): void;
  /** The folder of the dashboard the server serves at / (`cxray serve`), built or not; undefined when it serves the API alone. */
  dashboard?: string | undefined;
}
