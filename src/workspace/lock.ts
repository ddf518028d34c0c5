import { readFileSync } from 'node:fs';
import { link, readFile, unlink, writeFile } from 'node:fs/promises';
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

/**
 * On Linux, which process a pid names: this boot's id and the process's
 * start time (clock ticks since boot, /proc/PID/stat field 22). With the
 * pid it tells a lock's owner from a process the system gave the same pid
 * later (after a crash and a restart, or pid wrap-around). Null where
 * /proc is absent (another system) or the process is gone.
 */
export function processStart(pid: number): string | null {
  try {
    const boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces; field 3 starts after the last ')'.
    const start = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
    return start === undefined || !/^\d+$/.test(start) ? null : `${boot}:${start}`;
  } catch {
    return null;
  }
}

export interface LockOwner {
  pid: number;
  purpose: string;
  since: string;
  /** processStart of the owner when it took the lock (absent in locks of older versions and other systems). */
  start?: string;
}

/** Whether the process that wrote the lock still runs: its pid is alive and, where known, started when the owner did. */
export function lockOwnerAlive(owner: LockOwner): boolean {
  if (!processAlive(owner.pid)) return false;
  if (owner.start === undefined) return true;
  const now = processStart(owner.pid);
  return now === null || now === owner.start;
}

export interface HeldLock {
  release(): Promise<void>;
}

/** Lock files this process holds now, by path, with what holds them. */
const heldHere = new Map<string, { purpose: string; since: string }>();

/** Attempts at taking a lock left by dead owners before giving up (each attempt breaks one stale lock). */
const ATTEMPTS = 20;

const busy = (path: string, owner: LockOwner): UserError =>
  new UserError('workspace_busy', `The workspace is busy: process ${owner.pid} is running ${owner.purpose} since ${owner.since}.`, {
    hint: `Wait for it to finish, or stop process ${owner.pid}.`,
    file: path,
  });

/**
 * An exclusive lock file holding the owner's pid and start. A lock whose
 * owner died (kill -9) is stale and taken over, so a crash never blocks the
 * next import; a live process that merely got the dead owner's pid does not
 * keep it (the start differs). A lock naming this process's own pid is
 * stale too (an earlier process that had the same pid, as after a container
 * restart) unless this process holds it now: then a second holder in the
 * same process (an erase while the server's import job runs) is refused
 * like one in another process.
 *
 * The lock appears whole or not at all (written beside it, then hard-linked
 * into place, which fails when it exists), so no taker ever reads a
 * half-written lock as stale. A stale lock is removed only by the holder of
 * a second, short-lived lock (`.break`), after reading it again: two takers
 * finding the same stale lock cannot both remove a lock (one of them the
 * other's fresh one) and both go on.
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
  const start = processStart(process.pid);
  const content = JSON.stringify({ pid: process.pid, purpose, since, ...(start === null ? {} : { start }) });
  const draft = `${path}.${process.pid}.tmp`;
  try {
    await writeFile(draft, content);
    for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
      if (await linkOnce(draft, path)) {
        return {
          release: async () => {
            heldHere.delete(key);
            await unlink(path).catch(() => undefined);
          },
        };
      }
      const owner = await readLockOwner(path);
      if (owner !== null && owner.pid !== process.pid && lockOwnerAlive(owner)) throw busy(path, owner);
      await breakStale(path, draft, owner);
    }
    throw new UserError('workspace_busy', 'Could not take the workspace lock: other processes kept taking it.', { hint: 'Try again.', file: path });
  } catch (error) {
    heldHere.delete(key);
    throw error;
  } finally {
    await unlink(draft).catch(() => undefined);
  }
}

/** Hard-link `from` as `to`: true when done, false when `to` exists. */
async function linkOnce(from: string, to: string): Promise<boolean> {
  try {
    await link(from, to);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/**
 * Remove the stale lock `seen` (as read a moment ago) under the `.break`
 * lock, only when the lock file still says the same: a taker that was
 * faster has put its own lock there meanwhile, which stays. A `.break` lock
 * whose owner died (killed while breaking) is removed.
 */
async function breakStale(path: string, draft: string, seen: LockOwner | null): Promise<void> {
  const breaker = `${path}.break`;
  if (!(await linkOnce(draft, breaker))) {
    const other = await readLockOwner(breaker);
    if (other === null || (other.pid !== process.pid && !lockOwnerAlive(other))) await unlink(breaker).catch(() => undefined);
    else await new Promise((r) => setTimeout(r, 20));
    return;
  }
  try {
    const now = await readLockOwner(path);
    if (JSON.stringify(now) === JSON.stringify(seen)) await unlink(path).catch(() => undefined);
  } finally {
    await unlink(breaker).catch(() => undefined);
  }
}

export async function readLockOwner(path: string): Promise<LockOwner | null> {
  try {
    const parsed = JSON.parse(await readFile(path, 'utf8')) as { pid?: unknown; purpose?: unknown; since?: unknown; start?: unknown };
    if (typeof parsed.pid !== 'number') return null;
    return { pid: parsed.pid, purpose: String(parsed.purpose ?? 'an import'), since: String(parsed.since ?? ''), ...(typeof parsed.start === 'string' ? { start: parsed.start } : {}) };
  } catch {
    return null;
  }
}
