import { vi } from 'vitest';
import { main } from './main.js';

/** What one in-process run of the CLI printed and returned. */
export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** `cxray ARGS...` run in-process through main(), as the binary runs it: argv in, exit code and what it wrote out. */
export async function cxrayInProcess(...args: string[]): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  try {
    const code = await main(['node', 'cxray', ...args]);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}
