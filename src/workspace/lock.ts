import { open, readFile, unlink } from 'node:fs/promises';
import { resolve } from 'node:path';
import { UserError } from '../errors.js';

/** Whether a process id is alive on this machine. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface HeldLock {
  release(): Promise<void>;
}

/** Lock files this process holds now, by path, with what holds them. */
const heldHere = new Map<string, { purpose: string; since: string }>();

/**
 * An exclusive lock file holding the owner's pid. A lock whose owner died
 * (kill -9) is stale and taken over, so a crash never blocks the next import.
 * A lock naming this process's own pid is stale too (an earlier process
 * that had the same pid, as after a container restart) unless this process
 * holds it now: then a second holder in the same process (an erase while
 * the server's import job runs) is refused like one in another process.
 */
export async function acquireLock(path: string, purpose: string): Promise<HeldLock> {
  const key = resolve(path);
  const mine = heldHere.get(key);
  if (mine !== undefined) {
    throw new UserError('workspace_busy', `The workspace is busy: this process (${process.pid}) is running ${mine.purpose} since ${mine.since}.`, {
      hint: 'Wait for it to finish, then try again.',
      file: path,
    });
  }
  const since = new Date().toISOString();
  // Reserved before the first await: a second acquire in this process is refused from here on.
  heldHere.set(key, { purpose, since });
  try {
    for (let attempt = 0; attempt < 2; attempt += 1) {
      let handle;
      try {
        handle = await open(path, 'wx');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const owner = await readLockOwner(path);
        if (owner !== null && processAlive(owner.pid) && owner.pid !== process.pid) {
          throw new UserError('workspace_busy', `The workspace is busy: process ${owner.pid} is running ${owner.purpose} since ${owner.since}.`, {
            hint: `Wait for it to finish, or stop process ${owner.pid}.`,
            file: path,
          });
        }
        await unlink(path).catch(() => undefined);
        continue;
      }
      try {
        await handle.writeFile(JSON.stringify({ pid: process.pid, purpose, since }));
      } finally {
        await handle.close();
      }
      return {
        release: async () => {
          heldHere.delete(key);
          await unlink(path).catch(() => undefined);
        },
      };
    }
    throw new UserError('workspace_busy', 'Could not take the workspace lock.', { hint: 'Try again.', file: path });
  } catch (error) {
    heldHere.delete(key);
    throw error;
  }
}

export async function readLockOwner(path: string): Promise<{ pid: number; purpose: string; since: string } | null> {
  try {
    const parsed = JSON.parse(await readFile(path, 'utf8')) as { pid?: unknown; purpose?: unknown; since?: unknown };
    if (typeof parsed.pid !== 'number') return null;
    return { pid: parsed.pid, purpose: String(parsed.purpose ?? 'an import'), since: String(parsed.since ?? '') };
  } catch {
    return null;
  }
}
