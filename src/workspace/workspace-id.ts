import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
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
  try {
    const id = (await readFile(file, 'utf8')).trim();
    if (/^[0-9a-f]{12}$/.test(id)) return id;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(paths.store, { recursive: true });
  const id = randomBytes(6).toString('hex');
  // 'wx': of two processes making it at once, one wins and the other reads its id.
  try {
    await writeFile(file, `${id}\n`, { flag: 'wx' });
    return id;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return (await readFile(file, 'utf8')).trim();
  }
}
