import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import type { Needle } from './erase-match.js';
import type { WorkspacePaths } from './paths.js';

/** Most ids one erase takes (a GDPR batch is tens; a mistake is millions). */
export const MAX_ERASE_IDS = 10_000;

/**
 * The stored form of a value under `pii: hash`, as the import writes it
 * (src/ingest/stage-source.ts): `h:` and the first 32 hex digits of
 * sha256(salt || lower(trim(value))), trim taking off spaces as DuckDB's does.
 */
export function piiHash(salt: string, value: string): string {
  const normal = value.replace(/^ +| +$/g, '').toLowerCase();
  return `h:${createHash('sha256').update(salt + normal, 'utf8').digest('hex').slice(0, 32)}`;
}

/**
 * The salt the import hashed with: the environment variable cxray.yaml names
 * (pii.salt_env), else store/pii-salt; null when neither exists (then no
 * import ever hashed anything). Read only: erase never makes one.
 */
export async function readPiiSalt(paths: WorkspacePaths, envName: string, env: NodeJS.ProcessEnv = process.env): Promise<string | null> {
  const fromEnv = env[envName];
  if (fromEnv !== undefined && fromEnv.length > 0) return fromEnv;
  try {
    return (await readFile(join(paths.store, 'pii-salt'), 'utf8')).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** The ids asked for, trimmed and deduplicated; a blank id or too many is the user's to fix. */
export function checkIds(ids: readonly string[]): string[] {
  const out: string[] = [];
  for (const raw of ids) {
    const id = raw.trim();
    if (id.length === 0) {
      throw new UserError('bad_customer_id', 'A customer id is blank.', { hint: 'Give each customer id as it appears in your customers export, e.g. `cxray erase C-1001 C-1002 --yes`.' });
    }
    if (!out.includes(id)) out.push(id);
  }
  if (out.length === 0) throw new UserError('bad_customer_id', 'No customer id was given.', { hint: 'Name the customers to erase: `cxray erase C-1001 C-1002 --yes`, or `--from-file ids.txt` (one id a line).' });
  if (out.length > MAX_ERASE_IDS) {
    throw new UserError('too_many_ids', `${out.length} customer ids were given; one erase takes at most ${MAX_ERASE_IDS}.`, { hint: 'Split the list and run `cxray erase` once per part.' });
  }
  return out;
}

/** Each id as given and, when a salt exists, as a hashed key column would hold it. */
export function idNeedles(ids: readonly string[], salt: string | null): Needle[] {
  return ids.flatMap((id) => [{ customer: id, value: id, as: 'id' as const }, ...(salt === null ? [] : [{ customer: id, value: piiHash(salt, id), as: 'hashed id' as const }])]);
}

/** The values a customer's rows hold in key columns (customer_id, referrer_id, referred_id): ids and hashed ids. */
export function storedIds(needles: readonly Needle[]): string[] {
  return [...new Set(needles.filter((n) => n.as !== 'identity key').map((n) => n.value))];
}
