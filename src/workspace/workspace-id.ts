import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { WorkspacePaths } from './paths.js';

/**
 * A workspace's own id: 12 hex digits made once and kept in
 * `store/workspace-id`. It names what the workspace keeps outside its
 * folder (its databases on a ClickHouse cluster), so moving or copying the
 * folder keeps them, and two workspaces never share them.
 */
export async function workspaceId(paths: WorkspacePaths): Promise<string> {
  const file = join(paths.store, 'workspace-id');
  let found: string | null = null;
  try {
    found = (await readFile(file, 'utf8')).trim();
    if (/^[0-9a-f]{12}$/.test(found)) return found;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(paths.store, { recursive: true });
  const id = randomBytes(6).toString('hex');
  if (found !== null) {
    // A file without an id: its maker was killed between creating it and writing the id (kill -9 in the
    // first command). Replaced whole (a temporary renamed over it); read back, as another process may do the same.
    const tmp = `${file}.${process.pid}.tmp`;
    await writeFile(tmp, `${id}\n`);
    await rename(tmp, file);
    return (await readFile(file, 'utf8')).trim();
  }
  // 'wx': of two processes making it at once, one wins and the other reads its id.
  try {
    await writeFile(file, `${id}\n`, { flag: 'wx' });
    return id;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return (await readFile(file, 'utf8')).trim();
  }
}
