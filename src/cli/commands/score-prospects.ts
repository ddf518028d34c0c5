import type { Command } from 'commander';
import type { ProspectScoresAnswer } from '../../analysis/prospects/score-prospects.js';
import { contextOf, examples } from '../context.js';
import { table } from '../format.js';

interface ScoreProspectsFlags {
  out: string;
  id?: string;
}

export function registerScoreProspects(program: Command): void {
  program
    .command('score-prospects')
    .argument('<file>', 'the prospects: CSV, Parquet or JSON, one row per prospect, with attributes known at acquisition')
    .description('Score prospects against your ideal customer: a fit score 0-100 from attributes known at acquisition, the ideal-profile rule each matches, and what each attribute adds.')
    .requiredOption('--out <file>', 'where the scores go: a .csv or .parquet file (columns id, score, rule_id, rule_text, contrib_<attribute>...)')
    .option('--id <column>', 'the column naming each prospect (default: the first other column named like an id)')
    .addHelpText(
      'after',
      `
Prospect columns are matched to customer attributes as cxray.yaml reads them
from the customers export (same header, or the attribute's name), and read
the same way (types, value maps); the answer says which columns were used
and which ignored, and why. The model is learned from the imported
customers: least squares of their fit score on the attributes the ideal
profile's rules use (and its multi-condition rules), on half the customers;
the other half checks it. A value never seen among enough customers adds 0.

Also written beside --out: FILE.quality.json (the whole answer: model,
lift on held-out customers, calibration) and, when some records could not
be read, FILE.quarantine.csv (file, line, column, reason, detail, raw).

With --json the output is one document: the answer of FILE.quality.json.
${examples('cxray score-prospects leads.csv --out leads-scored.csv', 'cxray score-prospects leads.parquet --out leads-scored.parquet --json', 'cxray score-prospects leads.csv --out scored.csv --id "Lead ID"')}`,
    )
    .action(async (file: string, flags: ScoreProspectsFlags, command: Command) => {
      const { out, workspace } = contextOf(command);
      out.log('Learning the prospects model from the customers…');
      const answer = await workspace.scoreProspects({ file, out: flags.out, ...(flags.id === undefined ? {} : { idColumn: flags.id }) });
      out.result(answer, () => renderProspectScores(answer));
    });
}

const percent = (x: number): string => `${(100 * x).toFixed(1)}%`;

/** The answer as text: the sentences, the lift and calibration tables, the files written. */
export function renderProspectScores(answer: ProspectScoresAnswer): string {
  const q = answer.quality;
  const lines = [`Workspace ${answer.workspace}, import version ${answer.importVersion}.`, '', ...answer.summary];
  if (q.lift.length > 0) {
    lines.push('', `Lift on held-out customers (best = top 20% by first-year net value; ${q.bestCustomers.toLocaleString('en-US')} best of ${q.liftCustomers.toLocaleString('en-US')}):`);
    lines.push(table(['top by score', 'customers', 'share of the best', '95% CI', 'lift'], q.lift.map((r) => [percent(r.top), r.customers, percent(r.captured), `${percent(r.interval.lower)} to ${percent(r.interval.upper)}`, r.lift.toFixed(2)])));
  }
  lines.push('', `Calibration on held-out customers (n = ${q.heldOutCustomers.toLocaleString('en-US')}):`);
  lines.push(
    table(
      ['score tenth', 'customers', 'mean predicted', 'mean actual fit', '95% CI'],
      q.calibration.map((c) => [c.decile, c.customers, c.meanPredicted.toFixed(1), Number.isFinite(c.meanActual) ? c.meanActual.toFixed(1) : '', c.interval === null ? '' : `${c.interval.lower.toFixed(1)} to ${c.interval.upper.toFixed(1)}`]),
    ),
  );
  lines.push('', `Wrote ${answer.out} (${answer.outputColumns.join(', ')}), ${answer.qualityFile}${answer.quarantineFile === null ? '' : ` and ${answer.quarantineFile}`}.`);
  return lines.join('\n');
}
