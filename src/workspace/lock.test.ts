import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../errors.js';
import { acquireLock, processAlive, processStart } from './lock.js';

// The import lock: who may take it, and which leftovers of killed processes it takes over.

const lockPath = (): string => join(mkdtempSync(join(tmpdir(), 'cxray-lock-')), 'import.lock');
const owner = (path: string): number => (JSON.parse(readFileSync(path, 'utf8')) as { pid: number }).pid;

/** The pid of a process that has ended. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  const pid = Number(child.stdout);
  expect(processAlive(pid)).toBe(false);
  return pid;
}

async function refusal(path: string, purpose: string): Promise<string> {
  try {
    const lock = await acquireLock(path, purpose);
    await lock.release();
  } catch (error) {
    if (error instanceof UserError) return `${error.code}: ${error.message}`;
    throw error;
  }
  return 'taken';
}

describe('the workspace lock', () => {
  it('is held once within a process too: a second taker (an erase during the server\'s import job) is refused until the first releases', async () => {
    const path = lockPath();
    const first = await acquireLock(path, 'an import');
    expect(await refusal(path, 'an erase')).toMatch(new RegExp(`^workspace_busy: The workspace is busy: this process \\(${process.pid}\\) is running an import since `));
    // Two takers racing in one process: exactly one gets it.
    await first.release();
    const raced = await Promise.allSettled([acquireLock(path, 'an import'), acquireLock(path, 'an erase')]);
    expect(raced.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    for (const r of raced) if (r.status === 'fulfilled') await r.value.release();
    expect(existsSync(path)).toBe(false);
    expect(await refusal(path, 'an import')).toBe('taken');
  });

  it('takes over what killed processes leave: a dead owner, an empty file, and this pid written by an earlier process', async () => {
    const path = lockPath();
    for (const content of [JSON.stringify({ pid: deadPid(), purpose: 'an import', since: '2026-01-01T00:00:00.000Z' }), '', JSON.stringify({ pid: process.pid, purpose: 'an import', since: '2026-01-01T00:00:00.000Z' })]) {
      writeFileSync(path, content);
      const lock = await acquireLock(path, 'an import');
      expect(owner(path)).toBe(process.pid);
      await lock.release();
    }
  });

  it('refuses a lock a live process holds, naming it', async () => {
    const path = lockPath();
    writeFileSync(path, JSON.stringify({ pid: process.ppid, purpose: 'an import', since: '2026-01-01T00:00:00.000Z' }));
    expect(await refusal(path, 'an import')).toBe(`workspace_busy: The workspace is busy: process ${process.ppid} is running an import since 2026-01-01T00:00:00.000Z.`);
    expect(owner(path)).toBe(process.ppid);
  });

  it('tells the owner from a live process that got its pid later (Linux: the start time), and writes its own start', async () => {
    const path = lockPath();
    const parent = processStart(process.ppid);
    expect(parent).toMatch(/^[0-9a-f-]{36}:\d+$/);
    // Same live pid, another start: the owner died and the pid went to someone else.
    writeFileSync(path, JSON.stringify({ pid: process.ppid, purpose: 'an import', since: '2026-01-01T00:00:00.000Z', start: `${(parent ?? '').split(':')[0]}:1` }));
    const lock = await acquireLock(path, 'an import');
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ pid: process.pid, start: processStart(process.pid) });
    await lock.release();
    // Same live pid and start: the owner itself.
    writeFileSync(path, JSON.stringify({ pid: process.ppid, purpose: 'an import', since: '2026-01-01T00:00:00.000Z', start: parent }));
    expect(await refusal(path, 'an import')).toMatch(/^workspace_busy: /);
  });

  it('lets exactly one of several processes racing for the same stale lock take it', async () => {
    const path = lockPath();
    writeFileSync(path, JSON.stringify({ pid: deadPid(), purpose: 'an import', since: '2026-01-01T00:00:00.000Z' }));
    const lockModule = new URL('./lock.ts', import.meta.url).pathname;
    const at = Date.now() + 4000;
    // Each waits for the same moment, takes or is refused, and holds what it took until all have tried.
    const script = `const { acquireLock } = await import(${JSON.stringify(lockModule)});
      while (Date.now() < ${at}) await new Promise((r) => setTimeout(r, 1));
      try { const lock = await acquireLock(${JSON.stringify(path)}, 'an import'); process.stdout.write('took'); await new Promise((r) => setTimeout(r, 3000)); await lock.release(); }
      catch (error) { process.stdout.write(error.code ?? String(error)); }`;
    const outcomes = await Promise.all(
      Array.from({ length: 6 }, () =>
        new Promise<string>((done) => {
          const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
          let out = '';
          child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
          child.on('close', () => done(out));
        }),
      ),
    );
    expect(outcomes.sort()).toEqual(['took', 'workspace_busy', 'workspace_busy', 'workspace_busy', 'workspace_busy', 'workspace_busy']);
    expect(existsSync(path)).toBe(false);
    expect(existsSync(`${path}.break`)).toBe(false);
  }, 30_000);
});
