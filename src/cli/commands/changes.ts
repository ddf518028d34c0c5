import type { Command } from 'commander';
import { CHANGE_WINDOW_DEFAULTS, MAX_WINDOW_MONTHS, type ChangeDefinition } from '../../analysis/changes/index.js';
import { UserError } from '../../errors.js';
import type { ChangeInput } from '../../workspace/changes-store.js';
import { contextOf, examples } from '../context.js';
import { table } from '../format.js';

interface AddFlags {
  name: string;
  date: string;
  segment?: string;
  compare?: string;
  description?: string;
  beforeMonths?: string;
  afterMonths?: string;
}

function months(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > MAX_WINDOW_MONTHS) {
    throw new UserError('bad_argument', `${flag} ${JSON.stringify(text)} is not a number of months from 1 to ${MAX_WINDOW_MONTHS}.`, { hint: `Give ${flag} a whole number of months, e.g. ${flag} 6.` });
  }
  return n;
}

/** `North network upgrade (2025-10-01, region = 'North' against the rest of the customers; 6 months before, 6 after)`. */
export function describeChange(c: ChangeDefinition): string {
  const groups = c.segment === undefined ? 'every customer, before against after' : `${c.segment} against ${c.compare ?? 'the rest of the customers'}`;
  const windows = `${c.before_months ?? CHANGE_WINDOW_DEFAULTS.beforeMonths} months before, ${c.after_months ?? CHANGE_WINDOW_DEFAULTS.afterMonths} after`;
  return `${JSON.stringify(c.name)} (${c.date}, ${groups}; ${windows})`;
}

export function registerChanges(program: Command): void {
  const changes = program
    .command('changes')
    .description('Record the changes you made (a price change, a new process, a network upgrade) so that `cxray analyze changes` measures their effect.')
    .addHelpText(
      'after',
      `
A change is measured by difference-in-differences: how its segment's NPS,
CSAT, churn, net revenue and behaviour adoption moved from a window before its
date to a window after it, against how a comparison group moved over the same
windows (default: every customer outside the segment). A change without a
segment touched everyone and is measured before against after.
${examples(
  'cxray changes add --name "North network upgrade" --date 2025-10-01 --segment "region = North"',
  'cxray changes list',
  'cxray changes rm "North network upgrade"',
  'cxray analyze changes',
)}`,
    );

  changes
    .command('add')
    .description('Record a change: its name, the date it took effect, and the customers it touched.')
    .requiredOption('--name <name>', 'what the change is called in results (unique in the workspace)')
    .requiredOption('--date <date>', 'the first day the change was in effect, YYYY-MM-DD')
    .option('--segment <rule>', 'the customers it touched, a rule as in `cxray analyze --segment`; default: every customer (then measured before against after)')
    .option('--compare <rule>', 'the comparison group, a rule; default: every customer outside --segment')
    .option('--description <text>', 'a note kept with the change')
    .option('--before-months <months>', `months before the date in the before window (default ${CHANGE_WINDOW_DEFAULTS.beforeMonths})`)
    .option('--after-months <months>', `months from the date in the after window, cut at as_of (default ${CHANGE_WINDOW_DEFAULTS.afterMonths})`)
    .addHelpText(
      'after',
      `
Rules name customer_facts columns, as \`cxray analyze --segment\` does: = != < <=
> >=, IN (...), NOT IN (...), BETWEEN a AND b, IS NULL, IS NOT NULL, joined with
AND, OR, NOT and parentheses. When an import exists, the rule is checked
against its columns and stored in its normal form.

The windows: ${CHANGE_WINDOW_DEFAULTS.beforeMonths} months before the date and ${CHANGE_WINDOW_DEFAULTS.afterMonths} after it by default
(two quarters each side: enough answers, few other changes mixed in); the
before window is split in two halves for the pre-trend check.

Changes are kept in store/changes.json; adding or removing one makes the next
\`cxray analyze changes\` recompute. With --json the output is one document:
{workspace, change, changes}.
${examples(
  'cxray changes add --name "North network upgrade" --date 2025-10-01 --segment "region = North"',
  'cxray changes add --name "New onboarding" --date 2025-03-01 --segment "segment = retail" --compare "segment = smb" --after-months 3',
  'cxray changes add --name "Price rise" --date 2025-01-01 --description "every plan +5%"',
)}`,
    )
    .action(async (flags: AddFlags, command: Command) => {
      const { out, workspace } = contextOf(command);
      const input: ChangeInput = {
        name: flags.name,
        date: flags.date,
        ...(flags.segment === undefined ? {} : { segment: flags.segment }),
        ...(flags.compare === undefined ? {} : { compare: flags.compare }),
        ...(flags.description === undefined ? {} : { description: flags.description }),
        ...(flags.beforeMonths === undefined ? {} : { before_months: months(flags.beforeMonths, '--before-months') }),
        ...(flags.afterMonths === undefined ? {} : { after_months: months(flags.afterMonths, '--after-months') }),
      };
      const change = await workspace.addChange(input);
      const all = await workspace.changes();
      out.result({ workspace: workspace.paths.root, change, changes: all }, () => `Recorded ${describeChange(change)}.\nRun \`cxray analyze changes\` to measure it.`);
    });

  changes
    .command('list')
    .description('List the recorded changes, oldest first.')
    .addHelpText('after', `\nWith --json the output is one document: {workspace, changes}.\n${examples('cxray changes list', 'cxray changes list --json')}`)
    .action(async (_flags: unknown, command: Command) => {
      const { out, workspace } = contextOf(command);
      const all = await workspace.changes();
      out.result({ workspace: workspace.paths.root, changes: all }, () =>
        all.length === 0
          ? 'No change is recorded yet (add one with `cxray changes add`).'
          : table(
              ['name', 'date', 'segment', 'compared with', 'before', 'after', 'description'],
              all.map((c) => [
                c.name,
                c.date,
                c.segment ?? 'every customer',
                c.segment === undefined ? 'itself, before' : (c.compare ?? 'the rest'),
                `${c.before_months ?? CHANGE_WINDOW_DEFAULTS.beforeMonths} months`,
                `${c.after_months ?? CHANGE_WINDOW_DEFAULTS.afterMonths} months`,
                c.description ?? '',
              ]),
            ),
      );
    });

  changes
    .command('rm')
    .argument('<name>', 'the change to remove, as `cxray changes list` names it (case aside)')
    .description('Remove a recorded change.')
    .addHelpText('after', `\nWith --json the output is one document: {workspace, removed, changes}.\n${examples('cxray changes rm "North network upgrade"')}`)
    .action(async (name: string, _flags: unknown, command: Command) => {
      const { out, workspace } = contextOf(command);
      const removed = await workspace.removeChange(name);
      const all = await workspace.changes();
      out.result({ workspace: workspace.paths.root, removed, changes: all }, () => `Removed ${describeChange(removed)}; ${all.length} change${all.length === 1 ? '' : 's'} left.`);
    });
}
