import { Option, type Command } from 'commander';
import { pointsFromText, type WhatIf } from '../../analysis/perfect-customer/what-if.js';
import { UserError } from '../../errors.js';
import type { WhatIfAnswer } from '../../workspace/workspace.js';
import { contextOf, examples } from '../context.js';

interface WhatIfFlags {
  behaviour?: string;
  behavior?: string;
  points: string;
  segment?: string;
}

export function registerWhatIf(program: Command): void {
  program
    .command('whatif')
    .description('What N more points of adoption of a behaviour would be worth a year, and how satisfaction and retention would change, each with an interval and its assumption.')
    .option('--behaviour <key>', 'the behaviour, by its key in cxray.yaml (see the adoption table of `cxray analyze perfect-customer`)')
    .addOption(new Option('--behavior <key>', 'the same as --behaviour').hideHelp())
    .requiredOption('--points <n>', 'more percentage points of adoption, 0 to 100, among customers like those who lack it')
    .option('--segment <rule>', 'only customers matching a rule, as in `cxray analyze --segment`')
    .addHelpText(
      'after',
      `
The answer comes from the perfect-customer analysis (computed, or reused from
results/ while the import, cxray.yaml and the segment are unchanged): new
adopters = points/100 x customers in scope, capped by the non-adopters; money a
year = new adopters x the behaviour's value per customer-month x 12; the change
of the base's NPS or CSAT = points/100 x the adjusted difference; the change of
the window's churn share from the adjusted odds ratio. A part the data cannot
estimate says why; the others are still answered.

With --json the output is one document: {workspace, importVersion, segment, whatIf}.
${examples('cxray whatif --behaviour autopay --points 10', 'cxray whatif --behavior paperless_billing --points 5 --json', 'cxray whatif --behaviour autopay --points 20 --segment "segment = retail"')}`,
    )
    .action(async (flags: WhatIfFlags, command: Command) => {
      const { out, workspace } = contextOf(command);
      const behaviour = behaviourOf(flags);
      const points = pointsFromText(flags.points);
      out.log('Reading the perfect-customer analysis…');
      const answer = await workspace.whatif({ behaviour, points, ...(flags.segment === undefined ? {} : { segment: flags.segment }) });
      out.result(answer, () => renderWhatIf(answer));
    });
}

function behaviourOf(flags: WhatIfFlags): string {
  if (flags.behaviour !== undefined && flags.behavior !== undefined && flags.behaviour !== flags.behavior) {
    throw new UserError('bad_argument', `--behaviour ${flags.behaviour} and --behavior ${flags.behavior} disagree.`, { hint: 'Give one of them.' });
  }
  const behaviour = (flags.behaviour ?? flags.behavior ?? '').trim();
  if (behaviour === '') throw new UserError('bad_argument', 'Say which behaviour: --behaviour KEY.', { hint: 'The keys are those under behaviours in cxray.yaml, e.g. --behaviour autopay.' });
  return behaviour;
}

/** The answer as text: what was asked, then each part's sentence and assumption, or why it is missing. */
export function renderWhatIf(answer: WhatIfAnswer): string {
  const w = answer.whatIf;
  const scope = answer.segment === null ? '' : ` (segment ${answer.segment})`;
  const lines = [
    `Workspace ${answer.workspace}, import version ${answer.importVersion}${scope}.`,
    '',
    `What if ${w.points} more points of customers adopted ${w.label} (${w.behaviour})?`,
    `${w.customers.toLocaleString('en-US')} customers in scope${w.adoptionShare === null ? '' : `, ${(100 * w.adoptionShare).toFixed(1)}% adopt now`}; ${Math.round(w.newAdopters).toLocaleString('en-US')} would newly adopt.`,
  ];
  const part = (title: string, p: WhatIf['money'] | WhatIf['satisfaction'] | WhatIf['retention']): void => {
    lines.push('', `${title}:`);
    if (p.status === 'missing') lines.push(`  not estimated: ${p.reason}`);
    else lines.push(`  ${p.sentence}`, `  assumes: ${p.assumption}`);
  };
  part('Money', w.money);
  part('Satisfaction', w.satisfaction);
  part('Retention', w.retention);
  if (w.notes.length > 0) lines.push('', 'Notes:', ...w.notes.map((n) => `  - ${n}`));
  return lines.join('\n');
}
