import type { Command } from 'commander';
import type { ExportScoresAnswer } from '../../analysis/scores/export-scores.js';
import { contextOf, examples } from '../context.js';
import { table } from '../format.js';

interface ExportScoresFlags {
  out: string;
  actions?: string;
  segment?: string;
}

export function registerExport(program: Command): void {
  const exporter = program
    .command('export')
    .description('Write per-customer results as files for other tools (a CRM, a warehouse).')
    .addHelpText('after', `\n${examples('cxray export scores --out scores.csv')}`);
  exporter
    .command('scores')
    .description('One row per customer for a CRM: fit score, Perfect Customer Index, lifetime value, P(alive), churn risk, segments; and an action list of valuable customers at risk.')
    .requiredOption('--out <file>', 'the per-customer file: .csv or .parquet')
    .option('--actions <file>', 'the action list (.csv or .parquet); default: beside --out, FILE.actions.csv or .parquet')
    .option('--segment <rule>', 'only customers matching a rule, as in `cxray analyze --segment` (their scores stay those of the whole base)')
    .addHelpText(
      'after',
      `
Columns: customer_id, fit_score (0-100, as \`cxray analyze fit\`),
perfect_customer_index (0-100, as \`cxray analyze perfect-customer\`),
lifetime_value and p_alive (as \`cxray analyze lifetime-value\`), churn_risk,
churned, and one column per segment in cxray.yaml. Churn risk is the chance
of churning within the next retention window, from a logistic model of the
last window's churn (or 1 - P(alive) when churn is not recorded with dates);
the output (and a Parquet file's metadata) says which.

The action list: customers not churned, in the top quarter by churn risk,
and in the top quarter by fit score or lifetime value, ranked by value at
stake (churn risk x the value if retained), each with the reason in words.

With --json the output is one document: {workspace, importVersion, segment,
out, customers, columns, churnRisk, churnModel, actions, notes, summary}.
${examples('cxray export scores --out scores.csv', 'cxray export scores --out scores.parquet --actions at-risk.csv', 'cxray export scores --out retail.csv --segment "segment = retail" --json')}`,
    )
    .action(async (flags: ExportScoresFlags, command: Command) => {
      const { out, workspace } = contextOf(command);
      out.log('Scoring every customer…');
      const answer = await workspace.exportScores({ out: flags.out, ...(flags.actions === undefined ? {} : { actions: flags.actions }), ...(flags.segment === undefined ? {} : { segment: flags.segment }) });
      out.result(answer, () => renderExportScores(answer));
    });
}

/** The answer as text: the sentences, then the first customers of the action list. */
export function renderExportScores(answer: ExportScoresAnswer): string {
  const lines = [`Workspace ${answer.workspace}, import version ${answer.importVersion}.`, '', ...answer.summary];
  const first = answer.actions.first;
  if (first.length > 0) {
    lines.push('', `First ${first.length} of the action list:`);
    lines.push(
      table(
        ['rank', 'customer', 'fit', 'lifetime value', 'churn risk', 'at stake'],
        first.map((r, i) => [i + 1, r.customerId, r.fitScore === null ? '' : r.fitScore.toFixed(0), r.lifetimeValue === null ? '' : r.lifetimeValue.toFixed(0), `${(100 * r.churnRisk).toFixed(0)}%`, Math.round(r.valueAtStake)]),
      ),
    );
  }
  return lines.join('\n');
}
