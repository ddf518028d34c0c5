import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { AnalysisName } from './names.js';
import { resultSchema, type Result, type ResultFilter } from './result.js';

/** A short, stable key of a filter: the same segment, from and to give the same key; none for no filter. */
export function filterKey(filter: ResultFilter): string | null {
  const parts = (['segment', 'from', 'to'] as const).filter((k) => filter[k] !== undefined).map((k) => [k, filter[k]]);
  if (parts.length === 0) return null;
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 12);
}

/** `<dir>/<name>.json`, or `<dir>/<name>--<filter key>.json` for a filtered run. */
export function resultFile(dir: string, name: AnalysisName, filter: ResultFilter): string {
  const key = filterKey(filter);
  return join(dir, key === null ? `${name}.json` : `${name}--${key}.json`);
}

/** A stored Result, or null when absent or not a valid Result (then it is recomputed). */
export async function readStoredResult(path: string): Promise<Result | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return null;
  }
  try {
    const parsed = resultSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Written to a temporary file and renamed: a reader sees the old result or the new one, never half. */
export async function writeStoredResult(path: string, result: Result): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(result, null, 2)}\n`);
  await rename(tmp, path);
}

/**
 * Whether a stored result answers the same question: same import, config,
 * inputs, filter, cxray version and analysis revision. Only `ok` results are
 * reused; a skipped or failed one is always tried again.
 */
export function isReusable(stored: Result, expected: Pick<Result, 'importVersion' | 'provenance'>, revision: number): boolean {
  return (
    stored.status === 'ok' &&
    stored.importVersion === expected.importVersion &&
    stored.method.revision === revision &&
    JSON.stringify(stored.provenance) === JSON.stringify(expected.provenance)
  );
}
