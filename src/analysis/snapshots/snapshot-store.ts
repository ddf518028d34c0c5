import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../../errors.js';
import { snapshotMarkdown } from './markdown.js';
import { snapshotSchema, type Snapshot } from './snapshot.js';

/** `v000003-20260630T120000Z` from an import version and an instant. */
export function snapshotId(importVersion: number, at: Date): string {
  const stamp = at.toISOString().replace(/\.\d{3}Z$/, 'Z').replaceAll('-', '').replaceAll(':', '');
  return `v${String(importVersion).padStart(6, '0')}-${stamp}`;
}

/** Every readable snapshot in the folder, oldest first. */
export async function listSnapshots(dir: string): Promise<Snapshot[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const out: Snapshot[] = [];
  for (const name of names.filter((n) => /^v\d{6}-\d{8}T\d{6}Z\.json$/.test(n)).sort()) {
    try {
      const parsed = snapshotSchema.safeParse(JSON.parse(await readFile(join(dir, name), 'utf8')));
      if (parsed.success) out.push(parsed.data);
    } catch {
      // An unreadable snapshot is skipped, never fatal: the next run writes a fresh one.
    }
  }
  return out.sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0));
}

/**
 * The snapshot `--against` names: an id (or its start, e.g. `v000002`), or a
 * date YYYY-MM-DD meaning the last snapshot written on or before that day.
 */
export function findSnapshot(snapshots: readonly Snapshot[], against: string): Snapshot {
  const byId = snapshots.filter((s) => s.id.startsWith(against));
  if (byId.length > 0) return byId[byId.length - 1] as Snapshot;
  if (/^\d{4}-\d{2}-\d{2}$/.test(against)) {
    const onOrBefore = snapshots.filter((s) => s.createdAt.slice(0, 10) <= against);
    const last = onOrBefore[onOrBefore.length - 1];
    if (last !== undefined) return last;
  }
  throw new UserError('snapshot_missing', `No snapshot matches ${JSON.stringify(against)}.`, {
    hint: snapshots.length === 0 ? 'Snapshots are written by `cxray analyze profile` without a filter; run it first.' : `Snapshots: ${snapshots.map((s) => s.id).join(', ')}.`,
  });
}

/** Writes `<id>.json` and `<id>.md` (temporary files renamed, so a reader never sees half of one). */
export async function writeSnapshot(dir: string, snapshot: Snapshot): Promise<string> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, `${snapshot.id}.json`);
  for (const [file, text] of [
    [path, `${JSON.stringify(snapshot, null, 2)}\n`],
    [join(dir, `${snapshot.id}.md`), snapshotMarkdown(snapshot)],
  ] as const) {
    const tmp = `${file}.${process.pid}.tmp`;
    await writeFile(tmp, text);
    await rename(tmp, file);
  }
  return path;
}
