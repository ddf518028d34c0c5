import { describe, expect, it } from 'vitest';
import type { Result } from '../analysis/result.js';
import type { Workspace } from '../workspace/workspace.js';
import { Lane } from './lane.js';
import { ResultCache } from './result-cache.js';

/**
 * The cache's own logic against a stand-in workspace (only what the cache
 * calls: the pointer, the config hash, the changes path and analyze), so
 * the moment an analyze run ends can be chosen; the API tests run it on
 * real workspaces.
 */
function standIn(): { workspace: Workspace; runs: number[]; version: { current: number }; release: () => void } {
  const runs: number[] = [];
  const version = { current: 1 };
  let gate: (() => void) | null = null;
  const workspace = {
    paths: { changes: '/nonexistent/cxray-changes.json' },
    currentVersion: async () => version.current,
    config: async () => ({ hash: 'h' }),
    analyze: async (names: readonly string[]) => {
      runs.push(version.current);
      if (gate === null) await new Promise<void>((resolve) => (gate = resolve));
      const importVersion = version.current;
      return { importVersion, results: (names.length === 0 ? ['profile'] : names).map((name) => ({ name, importVersion, run: runs.length }) as unknown as Result) };
    },
  } as unknown as Workspace;
  return { workspace, runs, version, release: () => (gate as (() => void) | null)?.() };
}

describe('ResultCache.clear', () => {
  it('forgets what it kept, and does not keep what was being asked when it was cleared', async () => {
    const s = standIn();
    const cache = new ResultCache(s.workspace, new Lane());
    const first = cache.get(['profile']);
    await new Promise((r) => setTimeout(r, 10));
    s.release();
    expect((await first).cached).toBe(false);
    expect((await cache.get(['profile'])).cached).toBe(true);
    expect(s.runs).toHaveLength(1);

    cache.clear();
    expect(await cache.peek('profile')).toBeUndefined();
    expect((await cache.get(['profile'])).cached).toBe(false);
    expect(s.runs).toHaveLength(2);

    // Asked, then cleared while the run is under way, and the version flips meanwhile: the
    // asker gets its answer, the cache keeps nothing of it.
    const s2 = standIn();
    const cache2 = new ResultCache(s2.workspace, new Lane());
    const inFlight = cache2.get(['profile']);
    await new Promise((r) => setTimeout(r, 10));
    s2.version.current = 2;
    cache2.clear();
    s2.release();
    expect((await inFlight).results[0]?.name).toBe('profile');
    expect(await cache2.peek('profile')).toBeUndefined();
    expect((await cache2.get(['profile'])).cached).toBe(false);
  });
});
