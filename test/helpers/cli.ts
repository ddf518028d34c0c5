import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { spawnCli } from '../../src/reliability/cli-process.js';

export const REPO = resolve(import.meta.dirname, '..', '..');
export const BIN = resolve(REPO, 'bin', 'cxray.js');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Run the built CLI (npm test builds first) as a user would, without a TTY. */
export function cxray(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): CliRun {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? REPO,
    env: { ...process.env, TZ: 'UTC', ...options.env },
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 300_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Start the CLI in the background (serve, demo, an import to kill). */
export function cxrayBackground(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  const { child, output } = spawnCli(args, { cwd: options.cwd ?? REPO, ...(options.env === undefined ? {} : { env: options.env }) });
  const exited = new Promise<number | null>((r) => child.on('exit', (code, signal) => r(code ?? (signal === null ? null : -1))));
  return {
    child,
    exited,
    output,
    /** Resolve when stdout matches, or reject after a timeout. */
    async waitFor(pattern: RegExp, timeoutMs = 120_000): Promise<RegExpMatchArray> {
      const started = Date.now();
      while (Date.now() - started < timeoutMs) {
        const m = pattern.exec(output().stdout);
        if (m !== null) return m;
        if (child.exitCode !== null) throw new Error(`process exited (${child.exitCode}) before printing ${pattern}: ${output().stderr}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      const { stdout, stderr } = output();
      throw new Error(`timed out waiting for ${pattern}; stdout: ${stdout}; stderr: ${stderr}`);
    },
  };
}
