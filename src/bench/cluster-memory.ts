import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The pid files scripts/clickhouse-cluster.sh writes, one per shard. */
function serverPids(baseDir: string): number[] {
  const pids: number[] = [];
  for (const shard of [1, 2]) {
    const file = join(baseDir, `shard${shard}`, 'clickhouse-server.pid');
    if (!existsSync(file)) continue;
    const pid = Number(readFileSync(file, 'utf8').trim());
    if (Number.isSafeInteger(pid) && existsSync(`/proc/${pid}/status`)) pids.push(pid);
  }
  return pids;
}

/**
 * Peak resident memory of the cluster's servers, per shard, in MiB: Linux's
 * VmHWM. `reset` starts a new peak (writing 5 to clear_refs, Linux 4.0+), so
 * each rung reports its own peak rather than the servers' lifetime one.
 */
export const clusterMemory = {
  reset(baseDir: string): void {
    for (const pid of serverPids(baseDir)) {
      try {
        writeFileSync(`/proc/${pid}/clear_refs`, '5');
      } catch {
        // Not permitted (not root, or another user's server): the lifetime peak is reported.
      }
    }
  },
  peakMiB(baseDir: string): number[] {
    return serverPids(baseDir).map((pid) => {
      const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      return m === null ? 0 : Math.round(Number(m[1]) / 1024);
    });
  },
};
