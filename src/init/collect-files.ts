import { readdir, stat } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import { UserError } from '../errors.js';

const CSV_EXTENSIONS = new Set(['.csv', '.tsv', '.txt']);
/** Files a workspace folder holds that are not exports (the simulator writes its planted truth beside its exports). */
const WORKSPACE_FILES = /^(cxray\.ya?ml|.*\.duckdb(\.wal)?|truth\.json|truth-.*\.csv)$/i;
const MAX_DEPTH = 3;

export interface CollectedFiles {
  files: string[];
  skipped: { file: string; why: string }[];
}

/**
 * The export files named by `--from`: files as given, folders searched for
 * CSV files (hidden entries and cxray's own files skipped). Other files are
 * listed as skipped with the reason, never silently ignored.
 */
export async function collectFiles(from: readonly string[]): Promise<CollectedFiles> {
  const out: CollectedFiles = { files: [], skipped: [] };
  for (const entry of from) {
    const path = resolve(entry);
    let isDirectory: boolean;
    try {
      isDirectory = (await stat(path)).isDirectory();
    } catch (error) {
      throw new UserError('input_missing', `Not found: ${entry}`, {
        hint: 'Check the paths given to --from (files or folders of CSV exports).',
        file: path,
        cause: error,
      });
    }
    if (isDirectory) await walk(path, 0, out);
    else consider(path, out, true);
  }
  out.files = [...new Set(out.files)].sort();
  return out;
}

async function walk(dir: string, depth: number, out: CollectedFiles): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (e.name.startsWith('.') || e.name === 'node_modules') continue;
    const path = join(dir, e.name);
    if (e.isDirectory()) {
      if (depth < MAX_DEPTH) await walk(path, depth + 1, out);
    } else if (e.isFile()) consider(path, out, false);
  }
}

function consider(path: string, out: CollectedFiles, named: boolean): void {
  const name = basename(path);
  if (WORKSPACE_FILES.test(name)) {
    if (named) out.skipped.push({ file: path, why: 'a cxray workspace or simulator truth file, not an export' });
    return;
  }
  const ext = extname(name).toLowerCase();
  if (CSV_EXTENSIONS.has(ext)) out.files.push(path);
  else if (ext === '.xlsx' || ext === '.xls') out.skipped.push({ file: path, why: 'a spreadsheet: save it as CSV (UTF-8) and run init again' });
  else out.skipped.push({ file: path, why: `not a CSV file (${ext === '' ? 'no extension' : ext}); add Parquet or JSON sources to cxray.yaml by hand` });
}
