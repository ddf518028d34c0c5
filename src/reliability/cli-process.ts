import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The built CLI, as a user runs it (`node bin/cxray.js`): the crash loop kills that very process. */
export const CXRAY_BIN = fileURLToPath(new URL('../../bin/cxray.js', import.meta.url));

export interface CliOutcome {
  /** Exit code; null when a signal ended the process. */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Wall time from spawn to exit. */
  ms: number;
  /** Whether this side sent SIGKILL (the process may have exited on its own just before). */
  killSent: boolean;
}

export interface CliRunOptions {
  env?: NodeJS.ProcessEnv;
  /** Send SIGKILL this many milliseconds after the spawn (kill -9: no cleanup runs in the child). */
  killAfterMs?: number;
  /** A module the child loads before the CLI (`node --import`), e.g. a kill-at-a-file-write hook. */
  preload?: string;
  /** Give up (SIGKILL, then reject) after this long. */
  timeoutMs?: number;
}

/**
 * `node [--import PRELOAD] bin/cxray.js ARGS` started as a child process
 * without a terminal (UTC), its output collected as it comes.
 */
export function spawnCli(args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; preload?: string } = {}): { child: ChildProcessByStdio<null, Readable, Readable>; output: () => { stdout: string; stderr: string } } {
  const nodeArgs = [...(options.preload === undefined ? [] : ['--import', pathToFileURL(options.preload).href]), CXRAY_BIN, ...args];
  const child = spawn(process.execPath, nodeArgs, {
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    env: { ...process.env, TZ: 'UTC', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return { child, output: () => ({ stdout, stderr }) };
}

/**
 * Runs `node bin/cxray.js ARGS` as a child process and waits for it to end.
 * The kill is a timer in this process: the child is the importer itself
 * (no wrapper shell), so SIGKILL lands on the process holding the lock.
 */
export function runCli(args: readonly string[], options: CliRunOptions = {}): Promise<CliOutcome> {
  const started = performance.now();
  const { child, output } = spawnCli(args, options);
  let killSent = false;
  let timedOut = false;
  const killer =
    options.killAfterMs === undefined
      ? undefined
      : setTimeout(() => {
          killSent = child.kill('SIGKILL');
        }, options.killAfterMs);
  const limit = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, options.timeoutMs ?? 600_000);
  return new Promise((resolve, reject) => {
    child.on('error', (error) => {
      clearTimeout(limit);
      if (killer !== undefined) clearTimeout(killer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(limit);
      if (killer !== undefined) clearTimeout(killer);
      if (timedOut) {
        reject(new Error(`cxray ${args.join(' ')} did not end within ${options.timeoutMs ?? 600_000} ms; stderr: ${output().stderr.slice(-2000)}`));
        return;
      }
      resolve({ code, signal, ...output(), ms: performance.now() - started, killSent });
    });
  });
}

/** The JSON document a `--json` run printed, or an error naming the run's output. */
export function parseJsonOutput<T>(outcome: CliOutcome, what: string): T {
  try {
    return JSON.parse(outcome.stdout) as T;
  } catch {
    throw new Error(`${what}: no JSON on stdout (exit ${String(outcome.code)}, signal ${String(outcome.signal)}); stderr: ${outcome.stderr.slice(-2000)}; stdout: ${outcome.stdout.slice(-2000)}`);
  }
}
