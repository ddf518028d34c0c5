import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { extname, relative, sep } from 'node:path';
import { escapeRegex, guessDelimiter, isDistinctive, isIdHeader, parseCsv, type Needle, type NeedleMatcher } from './erase-match.js';
import { head } from './erase-files.js';
import { isQuarantineHeader, quarantineRowCustomer } from './erase-quarantine.js';
import type { ProofFinding } from './erase-report.js';
import type { WorkspacePaths } from './paths.js';

/** Text files larger than this are read line by line for tokens only. */
const WHOLE_FILE_BYTES = 64 * 1024 * 1024;
const CHUNK_BYTES = 8 * 1024 * 1024;

export type FileHit = Pick<ProofFinding, 'customer' | 'as' | 'where'>;

/** Whether a file is text: no NUL byte in its first 64 KiB. */
export async function isTextFile(path: string): Promise<boolean> {
  return !(await head(path)).includes(0);
}

function firstPerNeedle(hits: FileHit[]): FileHit[] {
  const seen = new Set<string>();
  return hits.filter((h) => {
    const key = `${h.customer}\u0000${h.as}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

const hit = (needle: Needle, where: string): FileHit => ({ customer: needle.customer, as: needle.as, where });

/** JSON: every string (keys too) holds a distinctive needle as a token, or is a needle as a whole. */
function searchJson(value: unknown, matcher: NeedleMatcher, path: string, out: FileHit[]): void {
  if (typeof value === 'string') {
    const needle = matcher.token(value) ?? matcher.whole(value);
    if (needle !== undefined) out.push(hit(needle, path));
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => searchJson(v, matcher, `${path}[${i}]`, out));
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const needle = matcher.token(k) ?? matcher.whole(k);
      if (needle !== undefined) out.push(hit(needle, `${path} key ${JSON.stringify(k)}`));
      searchJson(v, matcher, `${path}.${k}`, out);
    }
  }
}

/** CSV: a distinctive needle in any field; any needle as the whole value of an id column; a quarantine list's rows as erase attributes them. */
function searchCsv(text: string, matcher: NeedleMatcher, delimiter: string, out: FileHit[]): void {
  const [header, ...rows] = parseCsv(text, delimiter);
  if (header === undefined) return;
  const names = header.fields;
  const quarantine = isQuarantineHeader(names);
  for (const [j, name] of names.entries()) {
    const needle = matcher.token(name);
    if (needle !== undefined) out.push(hit(needle, `header, column ${j + 1}`));
  }
  for (const row of rows) {
    if (quarantine) {
      const needle = quarantineRowCustomer(matcher, names, row.fields);
      if (needle !== undefined) out.push(hit(needle, `line ${row.line}`));
    }
    for (const [j, field] of row.fields.entries()) {
      const name = names[j] ?? `column ${j + 1}`;
      const needle = matcher.token(field) ?? (isIdHeader(name) ? matcher.whole(field) : undefined);
      if (needle !== undefined) out.push(hit(needle, `line ${row.line}, column ${JSON.stringify(name)}`));
    }
  }
}

/** Any other text: a distinctive needle as a token, line by line. */
function searchLines(text: string, matcher: NeedleMatcher, out: FileHit[], firstLine = 1): void {
  const lines = text.split('\n');
  for (const [i, line] of lines.entries()) {
    const needle = matcher.token(line);
    if (needle !== undefined) out.push(hit(needle, `line ${firstLine + i}`));
  }
}

/** Where a text file of the workspace holds a needle: JSON, CSV and other text each searched as their shape allows. */
export async function searchTextFile(path: string, matcher: NeedleMatcher): Promise<FileHit[]> {
  const out: FileHit[] = [];
  const size = (await stat(path)).size;
  const ext = extname(path).toLowerCase();
  if (size > WHOLE_FILE_BYTES) {
    let line = 1;
    let rest = '';
    for await (const chunk of createReadStream(path, { encoding: 'utf8', highWaterMark: CHUNK_BYTES }) as AsyncIterable<string>) {
      const text = rest + chunk;
      const cut = text.lastIndexOf('\n');
      const whole = cut < 0 ? '' : text.slice(0, cut);
      rest = cut < 0 ? text : text.slice(cut + 1);
      searchLines(whole, matcher, out, line);
      line += whole.split('\n').length;
    }
    searchLines(rest, matcher, out, line);
    return firstPerNeedle(out);
  }
  const text = await readFile(path, 'utf8');
  if (ext === '.json') {
    try {
      searchJson(JSON.parse(text), matcher, '$', out);
      return firstPerNeedle(out);
    } catch {
      // Not JSON after all: searched as text below.
    }
  }
  if (ext === '.csv' || ext === '.tsv') searchCsv(text, matcher, ext === '.tsv' ? '\t' : guessDelimiter(text.split('\n', 1)[0] ?? ''), out);
  else searchLines(text, matcher, out);
  return firstPerNeedle(out);
}

/**
 * The raw bytes of a store file, for the distinctive needles as the store
 * holds them (exact bytes, UTF-8): what a freed block or a stray copy would
 * show. DuckDB compresses strings in larger columns, so bytes not found is
 * weaker proof than the column scan; found is proof of a copy.
 */
export async function searchBytes(path: string, needles: readonly Needle[]): Promise<FileHit[]> {
  const distinctive = needles.filter((n) => isDistinctive(n.value));
  if (distinctive.length === 0) return [];
  // Bytes read as latin1 are one character each, so a regex over them finds UTF-8 byte sequences.
  const asBytes = (n: Needle): string => Buffer.from(n.value, 'utf8').toString('latin1');
  const pattern = new RegExp([...new Set(distinctive.map(asBytes))].sort((a, b) => b.length - a.length).map(escapeRegex).join('|'), 'g');
  const byBytes = new Map(distinctive.map((n) => [asBytes(n), n]));
  const overlap = Math.max(...distinctive.map((n) => Buffer.byteLength(n.value, 'utf8'))) - 1;
  const out: FileHit[] = [];
  let offset = 0;
  let carry = '';
  for await (const chunk of createReadStream(path, { highWaterMark: CHUNK_BYTES }) as AsyncIterable<Buffer>) {
    const text = carry + chunk.toString('latin1');
    const base = offset - carry.length;
    for (const m of text.matchAll(pattern)) {
      const needle = byBytes.get(m[0]);
      if (needle !== undefined) out.push(hit(needle, `byte ${base + m.index}`));
    }
    offset += chunk.length;
    carry = text.slice(Math.max(0, text.length - overlap));
  }
  return firstPerNeedle(out);
}

/** Whether a file is one erase cleans: a finding there is a bug, elsewhere the user's to fix. */
export function ownedByErase(paths: WorkspacePaths, file: string): boolean {
  return [paths.store, paths.results, paths.snapshots, paths.quarantine, paths.reports].some((f) => file === f || file.startsWith(f + sep));
}

export function relativeTo(paths: WorkspacePaths, file: string): string {
  return relative(paths.root, file);
}
