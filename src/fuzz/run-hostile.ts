import { fork, type ChildProcess } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HostileResult } from './check-hostile-file.js';
import { hostileFile } from './hostile-files.js';
import type { WorkerMessage, WorkerRequest } from './hostile-worker.js';

export interface HostileRunOptions {
  seed: number;
  /** Which files of the seed's sequence to run (file i is `hostileFile(seed, i)`). */
  indexes: readonly number[];
  /** Folder for the per-file workspaces (each removed after its file unless `keep`). */
  workDir: string;
  /** A file taking longer is a hang: its worker is killed and the file is a failure. Default 30 s. */
  timeLimitMs?: number;
  /** Worker processes running files side by side. Default 1. */
  workers?: number;
  keep?: boolean;
  onResult?: (result: HostileResult, done: number, total: number) => void;
}

const DEFAULT_TIME_LIMIT_MS = 30_000;

/** The worker entry next to this file: TypeScript under tsx (tests, scripts), JavaScript once built. */
function workerEntry(): { path: string; execArgv: string[] } {
  const self = fileURLToPath(import.meta.url);
  const typescript = self.endsWith('.ts');
  return { path: join(self, '..', `hostile-worker.${typescript ? 'ts' : 'js'}`), execArgv: typescript ? ['--import', 'tsx'] : [] };
}

function lostFile(seed: number, index: number, stage: 'timeout' | 'crash', problem: string, durationMs: number): HostileResult {
  const file = hostileFile(seed, index);
  return { seed, index, kind: file.kind, parts: file.parts, base: file.base, bytes: file.bytes.length, durationMs, outcome: { status: 'failure', stage, problem } };
}

/** One worker process, replaced when it dies or hangs. */
class Worker {
  private child: ChildProcess | null = null;
  private stderr = '';

  private async start(): Promise<ChildProcess> {
    const { path, execArgv } = workerEntry();
    const child = fork(path, [], { execArgv, stdio: ['ignore', 'ignore', 'pipe', 'ipc'], cwd: fileURLToPath(new URL('../..', import.meta.url)) });
    this.stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString('utf8')).slice(-2000);
    });
    await new Promise<void>((resolve, reject) => {
      const onMessage = (m: WorkerMessage): void => {
        if ('ready' in m) {
          child.off('exit', onExit);
          resolve();
        }
      };
      const onExit = (code: number | null): void => reject(new Error(`the hostile-file worker exited on start (${code}): ${this.stderr}`));
      child.once('message', onMessage);
      child.once('exit', onExit);
    });
    this.child = child;
    return child;
  }

  async run(request: WorkerRequest, timeLimitMs: number): Promise<HostileResult> {
    const child = this.child ?? (await this.start());
    const started = Date.now();
    return new Promise<HostileResult>((resolve) => {
      const finish = (result: HostileResult): void => {
        clearTimeout(timer);
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(result);
      };
      const onMessage = (m: WorkerMessage): void => {
        if ('result' in m) finish(m.result);
      };
      const onExit = (code: number | null, signal: NodeJS.Signals | null): void => {
        this.child = null;
        finish(lostFile(request.seed, request.index, 'crash', `the worker died (${signal ?? `exit ${code}`}): ${this.stderr.trim().slice(-600)}`, Date.now() - started));
      };
      const timer = setTimeout(() => {
        child.off('exit', onExit);
        this.child = null;
        child.kill('SIGKILL');
        finish(lostFile(request.seed, request.index, 'timeout', `no outcome within ${timeLimitMs} ms`, Date.now() - started));
      }, timeLimitMs);
      child.on('message', onMessage);
      child.once('exit', onExit);
      child.send(request);
    });
  }

  stop(): void {
    this.child?.disconnect();
    this.child = null;
  }
}

/**
 * Run hostile files through `cxray init` and `cxray import`, each in its own
 * temporary workspace, in worker processes: a crash or a hang of one file is
 * recorded as that file's failure (with its seed, index and kind) and the run
 * goes on. Results come back in index order.
 */
export async function runHostileFiles(options: HostileRunOptions): Promise<HostileResult[]> {
  const queue = [...options.indexes];
  const results = new Map<number, HostileResult>();
  const timeLimit = options.timeLimitMs ?? DEFAULT_TIME_LIMIT_MS;
  const workers = Array.from({ length: Math.max(1, Math.min(options.workers ?? 1, queue.length)) }, () => new Worker());
  await Promise.all(
    workers.map(async (worker) => {
      try {
        for (let index = queue.shift(); index !== undefined; index = queue.shift()) {
          const dir = join(options.workDir, `file-${options.seed}-${index}`);
          const result = await worker.run({ seed: options.seed, index, dir, keep: options.keep === true }, timeLimit);
          // A killed worker leaves its workspace behind.
          if (options.keep !== true && result.outcome.status === 'failure' && (result.outcome.stage === 'timeout' || result.outcome.stage === 'crash')) {
            await rm(dir, { recursive: true, force: true }).catch(() => undefined);
          }
          results.set(index, result);
          options.onResult?.(result, results.size, options.indexes.length);
        }
      } finally {
        worker.stop();
      }
    }),
  );
  return options.indexes.map((i) => results.get(i) as HostileResult);
}
