import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { changeSchema, type ChangeDefinition } from '../analysis/changes/change.js';
import { parseDay } from '../analysis/period.js';
import { formatSegment, parseSegment, resolveSegment, type SegmentColumn } from '../analysis/segment/index.js';
import { nearest } from '../config/suggest.js';
import { UserError } from '../errors.js';

/**
 * The changes `cxray changes add` records, in the workspace's state folder
 * (store/changes.json): a versioned JSON document, validated on every read
 * and written whole to a temporary file renamed over the old one, so a
 * reader sees the old list or the new one, never half.
 */
export const changesFileSchema = z.strictObject({
  version: z.literal(1),
  changes: z.array(changeSchema),
});

export type ChangesFile = z.infer<typeof changesFileSchema>;

/** What a caller gives to record a change (the store adds added_at). */
export type ChangeInput = Omit<ChangeDefinition, 'added_at'>;

/** The stored changes, oldest first; none when the file does not exist. A damaged file is a UserError naming it. */
export async function readChanges(file: string): Promise<ChangeDefinition[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new UserError('changes_file_damaged', `The changes file is not valid JSON.`, { hint: `Fix or remove ${file}, then add the changes again with \`cxray changes add\`.`, file, cause: error });
  }
  const checked = changesFileSchema.safeParse(parsed);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    throw new UserError('changes_file_damaged', `The changes file does not hold valid changes (${issue?.path.join('.') ?? ''}: ${issue?.message ?? ''}).`, {
      hint: `Fix or remove ${file}, then add the changes again with \`cxray changes add\`.`,
      file,
    });
  }
  return checked.data.changes;
}

async function writeChanges(file: string, changes: readonly ChangeDefinition[]): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const body: ChangesFile = { version: 1, changes: [...changes] };
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(body, null, 2)}\n`);
  await rename(tmp, file);
}

const sameName = (a: string, b: string): boolean => a.trim().toLowerCase() === b.trim().toLowerCase();

/**
 * A segment rule checked as the analyses' `--segment` is: its syntax
 * always, its columns and values against customer_facts when the columns
 * are known (a workspace with an import). Returns the normal form when
 * checked against columns, else the rule as written.
 */
export function checkRule(rule: string, flag: string, columns: readonly SegmentColumn[] | null): string {
  let tree;
  try {
    tree = parseSegment(rule);
  } catch (error) {
    if (error instanceof UserError) throw new UserError(error.code, `${flag}: ${error.message}`, { hint: error.hint ?? `Write ${flag} as a segment rule, e.g. "region = North".`, cause: error });
    throw error;
  }
  if (columns === null) return rule.trim();
  try {
    return formatSegment(resolveSegment(tree, columns));
  } catch (error) {
    if (error instanceof UserError) throw new UserError(error.code, `${flag}: ${error.message}`, { ...(error.hint === undefined ? {} : { hint: error.hint }), cause: error });
    throw error;
  }
}

/**
 * Validates a change to record: a name not taken (case and spaces aside),
 * a calendar date, rules that parse (and name real columns, when `columns`
 * are known); each mistake a UserError that says what to write instead.
 */
export function validateChange(input: ChangeInput, existing: readonly ChangeDefinition[], columns: readonly SegmentColumn[] | null): ChangeDefinition {
  const name = input.name.trim();
  if (name === '') throw new UserError('bad_change', 'A change needs a name.', { hint: 'Give --name, e.g. --name "North network upgrade".' });
  const taken = existing.find((c) => sameName(c.name, name));
  if (taken !== undefined) {
    throw new UserError('change_exists', `A change named ${JSON.stringify(taken.name)} is already stored (dated ${taken.date}).`, {
      hint: `Pick another --name, or remove the old one first with \`cxray changes rm ${JSON.stringify(taken.name)}\`.`,
    });
  }
  try {
    parseDay(input.date, '--date');
  } catch (error) {
    if (error instanceof UserError) throw new UserError('bad_change', error.message, { hint: 'Give --date as the first day the change was in effect, written YYYY-MM-DD (e.g. 2025-10-01).', cause: error });
    throw error;
  }
  const segment = input.segment === undefined ? undefined : checkRule(input.segment, '--segment', columns);
  const compare = input.compare === undefined ? undefined : checkRule(input.compare, '--compare', columns);
  if (compare !== undefined && segment === undefined) {
    throw new UserError('bad_change', '--compare names a comparison group for a segment, but no --segment was given.', { hint: 'Give --segment RULE for the customers the change touched, or leave out --compare.' });
  }
  if (compare !== undefined && compare === segment) {
    throw new UserError('bad_change', 'The comparison group is the segment itself.', { hint: 'Give --compare a rule for other customers, or leave it out to compare with every customer outside the segment.' });
  }
  const candidate = {
    name,
    date: input.date,
    ...(segment === undefined ? {} : { segment }),
    ...(compare === undefined ? {} : { compare }),
    ...(input.description === undefined ? {} : { description: input.description }),
    ...(input.before_months === undefined ? {} : { before_months: input.before_months }),
    ...(input.after_months === undefined ? {} : { after_months: input.after_months }),
    added_at: new Date().toISOString(),
  };
  const checked = changeSchema.safeParse(candidate);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    const field = String(issue?.path[0] ?? 'change');
    throw new UserError('bad_change', `The change's ${field.replace('_', ' ')} is not valid: ${issue?.message ?? ''}.`, {
      hint: field.endsWith('months') ? 'Give whole months from 1 to 60.' : field === 'name' ? 'Give a name of 1 to 100 characters, without control characters.' : 'See `cxray changes add --help`.',
    });
  }
  return checked.data;
}

/**
 * Stored results of the `changes` analysis (results/<version>/changes*.json)
 * answer for the changes stored when they were computed, which the result
 * store's key (import, config, filter) does not see: removed whenever the
 * stored changes change, so the next analyze recomputes them.
 */
async function forgetResults(resultsDir: string): Promise<void> {
  if (!existsSync(resultsDir)) return;
  for (const version of await readdir(resultsDir)) {
    const dir = join(resultsDir, version);
    let names: string[];
    try {
      names = await readdir(dir);
    } catch {
      continue;
    }
    for (const name of names) if (name === 'changes.json' || name.startsWith('changes--')) await rm(join(dir, name), { force: true });
  }
}

/** Records a validated change after the others; returns it as stored. */
export async function addChange(file: string, resultsDir: string, input: ChangeInput, columns: readonly SegmentColumn[] | null): Promise<ChangeDefinition> {
  const existing = await readChanges(file);
  const change = validateChange(input, existing, columns);
  await writeChanges(file, [...existing, change]);
  await forgetResults(resultsDir);
  return change;
}

/** Removes the change called `name` (case and spaces aside); an unknown name is a UserError naming the nearest. */
export async function removeChange(file: string, resultsDir: string, name: string): Promise<ChangeDefinition> {
  const existing = await readChanges(file);
  const found = existing.find((c) => sameName(c.name, name));
  if (found === undefined) {
    const near = nearest(name, existing.map((c) => c.name));
    throw new UserError('change_missing', `No change named ${JSON.stringify(name)} is stored.`, {
      hint: near !== undefined ? `Did you mean ${JSON.stringify(near)}?` : existing.length === 0 ? 'No change is stored yet: add one with `cxray changes add`.' : 'Run `cxray changes list` for the names.',
    });
  }
  await writeChanges(file, existing.filter((c) => c !== found));
  await forgetResults(resultsDir);
  return found;
}
