import { stat } from 'node:fs/promises';
import { ANALYSIS_NAMES, type AnalysisName } from '../analysis/names.js';
import type { Result } from '../analysis/result.js';
import type { AnalysisFilter } from '../analysis/types.js';
import type { Workspace } from '../workspace/workspace.js';
import type { Lane } from './lane.js';
import { LruCache } from './lru.js';

/** Results kept in memory at most: each is a few kB to a few hundred kB of JSON. */
export const RESULT_CACHE_SIZE = 128;

/** What the answer to a question depends on besides the question: the import version, cxray.yaml, the recorded changes. */
interface Stamp {
  version: number | null;
  configHash: string;
  changes: string;
}

export interface CachedResults {
  importVersion: number;
  results: Result[];
  /** Every result came from memory. */
  cached: boolean;
}

function filterText(filter: AnalysisFilter): string {
  return JSON.stringify([filter.segment?.trim() ?? null, filter.from ?? null, filter.to ?? null]);
}

/**
 * Results as the API serves them: run through Workspace.analyze (which
 * reuses the Results stored per import version), kept in memory per
 * (import version, config hash, name, filter) with an LRU bound. The key
 * holds the version, so when an import flips the current pointer the next
 * request misses and asks the new version: no stale answer, no flush.
 * Analyses run one at a time (the lane); a question already being answered
 * is awaited, not asked twice.
 *
 * @example
 * const { results: [profile] } = await cache.get(['profile'], { segment: 'segment = retail' });
 */
export class ResultCache {
  private readonly kept: LruCache<string, Promise<Result>>;
  /** Counts clear(): answers asked before a clear are not kept after it. */
  private generation = 0;

  constructor(
    private readonly workspace: Workspace,
    private readonly lane: Lane,
    capacity = RESULT_CACHE_SIZE,
  ) {
    this.kept = new LruCache(capacity);
  }

  /**
   * Forget everything, including the answers of questions still being
   * asked (they are returned to their askers, not kept): after an erase,
   * nothing computed before may answer again.
   */
  clear(): void {
    this.generation += 1;
    this.kept.clear();
  }

  private async stamp(): Promise<Stamp> {
    const version = await this.workspace.currentVersion();
    const { hash } = await this.workspace.config();
    let changes = 'none';
    try {
      const s = await stat(this.workspace.paths.changes);
      changes = `${s.mtimeMs}:${s.size}`;
    } catch {
      // No change recorded yet.
    }
    return { version, configHash: hash, changes };
  }

  private key(stamp: Stamp, name: AnalysisName, filter: AnalysisFilter): string {
    // Only the changes analysis reads the recorded changes (`cxray changes add`).
    return JSON.stringify([stamp.version, stamp.configHash, name === 'changes' ? stamp.changes : '', name, filterText(filter)]);
  }

  /** The Result held in memory for the current state, without running anything. */
  async peek(name: AnalysisName, filter: AnalysisFilter = {}): Promise<Result | undefined> {
    const found = this.kept.get(this.key(await this.stamp(), name, filter));
    if (found === undefined) return undefined;
    return found.catch(() => undefined);
  }

  /**
   * The Results of `names` (every analysis when empty) for a filter, in the
   * order asked, each from memory or computed (with its dependencies) in one
   * analyze run.
   */
  async get(names: readonly AnalysisName[], filter: AnalysisFilter = {}): Promise<CachedResults> {
    const wanted = names.length === 0 ? [...ANALYSIS_NAMES] : [...names];
    const stamp = await this.stamp();
    const generation = this.generation;
    const hits = wanted.map((name) => this.kept.get(this.key(stamp, name, filter)));
    if (hits.every((h) => h !== undefined)) {
      try {
        const results = await Promise.all(hits as Promise<Result>[]);
        return { importVersion: results[0]?.importVersion ?? stamp.version ?? 0, results, cached: true };
      } catch {
        // One of them failed meanwhile: ask again below.
      }
    }
    const run = this.lane.run(() => this.workspace.analyze(wanted.length === ANALYSIS_NAMES.length ? [] : wanted, filter));
    const missing = wanted.filter((_, i) => hits[i] === undefined);
    for (const name of missing) {
      const key = this.key(stamp, name, filter);
      const one = run.then((out) => {
        const found = out.results.find((r) => r.name === name);
        if (found === undefined) throw new Error(`analyze returned no ${name} result`);
        return found;
      });
      this.kept.set(key, one);
      one.catch(() => this.kept.delete(key));
    }
    const out = await run;
    if (out.importVersion !== stamp.version && this.generation === generation) {
      // An import flipped the pointer while we asked: the answers belong to the new version.
      for (const name of missing) this.kept.delete(this.key(stamp, name, filter));
      const fresh = { ...stamp, version: out.importVersion };
      for (const r of out.results) this.kept.set(this.key(fresh, r.name, filter), Promise.resolve(r));
    }
    const byName = new Map(out.results.map((r) => [r.name, r]));
    const results = wanted.map((name) => byName.get(name)).filter((r): r is Result => r !== undefined);
    return { importVersion: out.importVersion, results, cached: false };
  }
}
