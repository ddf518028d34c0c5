import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/** Debian's interpreter: the `python3` first on PATH here is another one, without pandas (../shared/ENGINES.md). */
export const REFERENCE_PYTHON = '/usr/bin/python3';
export const REFERENCE_SCRIPT = resolve(import.meta.dirname, '..', '..', 'bench', 'reference', 'reference.py');

export type ReferenceVariant = 'idiomatic' | 'best';

export interface ReferenceRunOptions {
  /** Folder of the simulated exports. */
  company: string;
  variant: ReferenceVariant;
  /** The JSON to write; the facts CSV goes next to it (`<out without its extension>.facts.csv`). */
  out: string;
  asOf?: string;
  /** A cxray.yaml to take as_of and the business rules from. */
  config?: string;
  python?: string;
}

export interface ReferenceRun {
  json: string;
  factsCsv: string;
  /** Wall clock of the whole process, interpreter start and CSV writing included. */
  seconds: number;
}

/** Whether the interpreter has what the reference imports (pandas, numpy, scipy, statsmodels). */
export function referenceStackAvailable(python = REFERENCE_PYTHON): boolean {
  if (!existsSync(python)) return false;
  return spawnSync(python, ['-c', 'import pandas, numpy, scipy, statsmodels'], { stdio: 'ignore' }).status === 0;
}

/** The command line that runs the reference, as an argument list. */
export function referenceCommand(options: ReferenceRunOptions): string[] {
  return [
    options.python ?? REFERENCE_PYTHON,
    REFERENCE_SCRIPT,
    '--company',
    options.company,
    '--variant',
    options.variant,
    '--out',
    options.out,
    ...(options.asOf === undefined ? [] : ['--as-of', options.asOf]),
    ...(options.config === undefined ? [] : ['--config', options.config]),
  ];
}

/**
 * Runs the pandas reference (bench/reference/reference.py) in a child
 * process and resolves when it has written its JSON; rejects with its stderr
 * when it fails.
 *
 * @example
 * await runReference({ company: 'bench/out/company-100000', variant: 'best', asOf: '2026-06-30', out: '/tmp/ref.json' });
 */
export function runReference(options: ReferenceRunOptions): Promise<ReferenceRun> {
  const [command, ...args] = referenceCommand(options);
  if (command === undefined || !existsSync(command)) {
    return Promise.reject(new Error(`${command ?? 'python'} is missing: the reference needs Debian's python3-pandas, python3-scipy, python3-statsmodels (apt-get install).`));
  }
  const started = performance.now();
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) {
        reject(new Error(`The pandas reference failed (exit ${code}): ${stderr.trim().split('\n').slice(-5).join('\n')}`));
        return;
      }
      resolvePromise({ json: options.out, factsCsv: `${options.out.replace(/\.[^./]*$/, '')}.facts.csv`, seconds: (performance.now() - started) / 1000 });
    });
  });
}
