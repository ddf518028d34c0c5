import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Workspace } from '../../src/workspace/workspace.js';
import { cxray } from '../helpers/cli.js';
import { makeWorkspace } from '../helpers/tiny-company.js';

function addCustomer(dir: string, id: number): void {
  writeFileSync(join(dir, 'contacts.csv'), readFileSync(join(dir, 'contacts.csv'), 'utf8') + `${id},c${id}@example.com,2025-05-0${(id % 9) + 1} 08:00,smb,44\n`);
}

const current = (dir: string): number => (JSON.parse(readFileSync(join(dir, 'store', 'current.json'), 'utf8')) as { version: number }).version;

describe('versioned store under crashes', () => {
  it('a reader keeps version N while N+1 is imported; kill -9 at every named point leaves N or N+1, never a half state', async () => {
    const dir = makeWorkspace();
    expect(cxray(['import', '--workspace', dir]).code).toBe(0);
    const ws = new Workspace(dir);
    // A long-lived reader (as `cxray serve` is) holds version 1 open.
    const reader = await ws.openStore();
    try {
      const count = async (): Promise<unknown> => (await reader.engine.query('SELECT count(*) AS n FROM customers'))[0]?.['n'];
      expect(await count()).toBe(3n);

      addCustomer(dir, 6);
      for (const point of ['after-staging', 'mid-load', 'mid-swap']) {
        const killed = cxray(['import', '--workspace', dir], { env: { CXRAY_TEST_CRASH_AT: point } });
        expect(killed.code, point).toBeNull();
        expect(current(dir), point).toBe(1);
        // The previous version still opens and answers, in this process and in a new one.
        expect(await count()).toBe(3n);
        const status = JSON.parse(cxray(['status', '--workspace', dir, '--json']).stdout) as { currentVersion: number; tables: Record<string, number> };
        expect(status).toMatchObject({ currentVersion: 1, tables: { customers: 3 } });
      }
      const afterSwap = cxray(['import', '--workspace', dir], { env: { CXRAY_TEST_CRASH_AT: 'after-swap' } });
      expect(afterSwap.code).toBeNull();
      const switched = current(dir);
      expect(switched).toBeGreaterThan(1);
      const store = await ws.openStore();
      expect((await store.engine.query('SELECT count(*) AS n FROM customers'))[0]?.['n']).toBe(4n);
      await store.close();

      // A re-import after the crashes completes, and the stale staging files are gone.
      addCustomer(dir, 7);
      const done = cxray(['import', '--workspace', dir, '--json']);
      expect(done.code, done.stderr).toBe(0);
      expect(current(dir)).toBeGreaterThan(switched);
      expect(readdirSync(join(dir, 'store')).filter((n) => n.startsWith('.staging'))).toEqual([]);
      // The reader still sees its own version.
      expect(await count()).toBe(3n);
    } finally {
      await reader.close();
    }
  });

  it('a second import while one runs is refused with the holder named (exit 1)', () => {
    const dir = makeWorkspace();
    mkdirSync(join(dir, 'store'), { recursive: true });
    // This test process stands in for a running import.
    writeFileSync(join(dir, 'store', 'import.lock'), JSON.stringify({ pid: process.pid, purpose: 'an import', since: new Date().toISOString() }));
    const run = cxray(['import', '--workspace', dir, '--json']);
    expect(run.code).toBe(1);
    const error = (JSON.parse(run.stdout) as { error: { code: string; message: string } }).error;
    expect(error.code).toBe('workspace_busy');
    expect(error.message).toContain(String(process.pid));
  });
});
