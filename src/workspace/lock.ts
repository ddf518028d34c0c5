import { open, readFile, unlink } from 'node:fs/promises';
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

/**
 * An exclusive lock file holding the owner's pid. A lock whose owner died
 * (kill -9) is stale and taken over, so a crash never blocks the next import.
 */
export async function acquireLock(path: string, purpose: string): Promise<HeldLock> {
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const handle = await open(path, 'wx');
      await handle.writeFile(JSON.stringify({ pid: process.pid, purpose, since: new Date().toISOString() }));
      await handle.close();
      return {
        release: async () => {
          await unlink(path).catch(() => undefined);
        },
      };
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
    }
  }
  throw new UserError('workspace_busy', 'Could not take the workspace lock.', { hint: 'Try again.', file: path });
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
