import { readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { matchQuarantined, parseCsv, type Needle, type NeedleMatcher } from './erase-match.js';
import type { WorkspacePaths } from './paths.js';

/**
 * A cell as written for people to open: the import puts an apostrophe before
 * text that starts like a spreadsheet formula (import.ts NEUTRALISE); the
 * stored value is the text after it.
 */
export function unneutralised(cell: string): string {
  return /^'[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell;
}

/** Whether a header is that of a quarantine list cxray writes (file, line, column, reason, detail, raw). */
export function isQuarantineHeader(header: readonly string[]): boolean {
  return header.includes('raw') && header.includes('reason') && header.includes('line');
}

/** The erased customer a row of a quarantine list belongs to, if any. */
export function quarantineRowCustomer(matcher: NeedleMatcher, header: readonly string[], fields: readonly string[]): Needle | undefined {
  const cell = (name: string): string | null => {
    const i = header.indexOf(name);
    return i < 0 ? null : unneutralised(fields[i] ?? '');
  };
  return matchQuarantined(matcher, { raw: cell('raw'), detail: cell('detail') });
}

/**
 * Takes the erased customers' records out of quarantine/<source>.csv (the
 * current version's rejected rows, for people to read), byte for byte
 * otherwise, each file written to a temporary name and renamed over the old.
 * A file that is not a cxray quarantine list is left for the proof to search.
 */
export async function eraseFromQuarantineFiles(paths: WorkspacePaths, matcher: NeedleMatcher): Promise<{ file: string; rowsRemoved: number }[]> {
  let names: string[];
  try {
    names = await readdir(paths.quarantine);
  } catch {
    return [];
  }
  const out: { file: string; rowsRemoved: number }[] = [];
  for (const name of names.filter((n) => n.endsWith('.csv')).sort()) {
    const file = join(paths.quarantine, name);
    const text = await readFile(file, 'utf8');
    const records = parseCsv(text);
    const [head, ...rows] = records;
    if (head === undefined || !isQuarantineHeader(head.fields)) continue;
    const kept = rows.filter((r) => quarantineRowCustomer(matcher, head.fields, r.fields) === undefined);
    if (kept.length === rows.length) continue;
    const tmp = `${file}.${process.pid}.erase.tmp`;
    await writeFile(tmp, [head, ...kept].map((r) => text.slice(r.start, r.end)).join(''));
    await rename(tmp, file);
    out.push({ file: relative(paths.root, file), rowsRemoved: rows.length - kept.length });
  }
  return out;
}
