import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Kill points inside a file write, where src/ingest has no named hook: the
 * child loads a small module first (`node --import`) that wraps
 * `fs/promises.writeFile` and, for the file named, does what writeFile's
 * first step does (open: create or truncate) and then SIGKILLs its own
 * process, before a byte is written. That is where a random kill lands
 * when it falls between writeFile's open and its write: the file exists,
 * empty. A random delay hits that window rarely; this hits it every time.
 */
export type WritePoint = 'ledger-write' | 'pointer-write' | 'salt-write';

/** The path each point kills at (a regular expression, tested on the path written). */
export const WRITE_POINT_PATTERNS: Readonly<Record<WritePoint, string>> = {
  /** A version's ledger (store/vNNNNNN.ledger.json, written as vNNNNNN.ledger.json.PID.tmp and renamed), the file that completes a version. */
  'ledger-write': String.raw`[\\/]v\d{6}\.ledger\.json(\.\d+\.tmp)?$`,
  /** The temporary current pointer (store/current.json.PID.tmp) renamed over current.json. */
  'pointer-write': String.raw`[\\/]current\.json\.\d+\.tmp$`,
  /** The salt personal data is hashed with (store/pii-salt, written as pii-salt.PID.tmp and renamed), made by a workspace's first import. */
  'salt-write': String.raw`[\\/]pii-salt(\.\d+\.tmp)?$`,
};

const ENV = 'CXRAY_RELIABILITY_KILL_AT_WRITE';

const PRELOAD = `// Written by src/reliability/write-points.ts: kill -9 inside fs/promises.writeFile of a matching path.
import fsp from 'node:fs/promises';
import { syncBuiltinESMExports } from 'node:module';
const pattern = new RegExp(process.env.${ENV} ?? '(?!)');
const original = fsp.writeFile;
fsp.writeFile = async function writeFile(path, ...rest) {
  if (typeof path === 'string' && pattern.test(path)) {
    const options = rest[1];
    const handle = await fsp.open(path, 'w', typeof options === 'object' && options !== null ? options.mode : undefined);
    await handle.close();
    process.kill(process.pid, 'SIGKILL');
    await new Promise(() => undefined);
  }
  return original.call(this, path, ...rest);
};
// ESM named imports of node:fs/promises see the wrapped function too.
syncBuiltinESMExports();
`;

/** Writes the preload module into `dir`; pass its path as `runCli`'s `preload`. */
export async function writePointPreload(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const file = join(dir, 'kill-at-write.mjs');
  await writeFile(file, PRELOAD);
  return file;
}

/** The child's environment that arms one write point. */
export function writePointEnv(point: WritePoint): NodeJS.ProcessEnv {
  return { [ENV]: WRITE_POINT_PATTERNS[point] };
}
