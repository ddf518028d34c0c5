import type { Command } from 'commander';
import { ANALYSES } from '../../analysis/registry.js';
import { renderAnalyzeText } from '../../analysis/render-text.js';
import type { AnalysisFilter } from '../../analysis/types.js';
import { contextOf, examples } from '../context.js';
import { table } from '../format.js';

interface AnalyzeOptions {
  segment?: string;
  from?: string;
  to?: string;
  list?: boolean;
  fresh?: boolean;
  against?: string;
}

export function registerAnalyze(program: Command): void {
  program
    .command('analyze')
    .argument('[names...]', 'analyses to run (default: all, in dependency order); see --list')
    .description('Run analyses on the current import: each result has its numbers, intervals, n, sentences and charts.')
    .option('--segment <rule>', "only customers matching a rule, e.g. \"segment = retail AND contract_type IN (annual, monthly) AND age >= 25\"")
    .option('--from <date>', 'count events (contacts, survey answers, payments, signups) from this day, YYYY-MM-DD')
    .option('--to <date>', 'count events up to this day (inclusive), YYYY-MM-DD')
    .option('--list', 'name every analysis with the tables it needs, and stop')
    .option('--fresh', 'recompute even when a stored result for the same import, config and filter exists')
    .option('--against <snapshot>', 'compare the profile with this snapshot (an id such as v000002-20260630T120000Z, its start, or a date YYYY-MM-DD) instead of the previous one')
    .addHelpText(
      'after',
      `
Segment rules name customer_facts columns (attributes such as segment or age,
and measures such as tenure_days, net_value, churned). Operators: = != < <= > >=,
IN (...), NOT IN (...), BETWEEN a AND b, IS NULL, IS NOT NULL; join with AND, OR,
NOT and parentheses. Quote values with spaces or symbols: channel = 'paid search'.

Results are stored in results/<version>/ and reused while the import, cxray.yaml
and the filter are unchanged. The profile of the whole base is also dated: one
snapshot per import version and config in snapshots/ (JSON and Markdown), and
each new one says what changed since the previous (or --against).

With --json the output is one document: {workspace, importVersion, results}
(each Result's schema: docs/result.schema.json).
${examples(
  'cxray analyze',
  'cxray analyze profile --json',
  'cxray analyze profile --segment "segment = retail AND age >= 25"',
  'cxray analyze profile --from 2025-01-01 --to 2025-06-30',
  'cxray analyze profile --against 2026-03-31',
  'cxray analyze --list',
)}`,
    )
    .action(async (names: string[], options: AnalyzeOptions, command: Command) => {
      const { out, workspace } = contextOf(command);
      if (options.list === true) {
        const analyses = ANALYSES.map((a) => ({ name: a.name, title: a.title, description: a.description, needs: [...a.needs], dependsOn: [...a.dependsOn], implemented: a.implemented }));
        out.result({ analyses }, () =>
          table(
            ['name', 'needs', 'after', 'status', 'what it answers'],
            analyses.map((a) => [a.name, a.needs.join(', '), a.dependsOn.join(', '), a.implemented ? 'ready' : 'not implemented yet', a.title]),
          ),
        );
        return;
      }
      const filter: AnalysisFilter = {
        ...(options.segment === undefined ? {} : { segment: options.segment }),
        ...(options.from === undefined ? {} : { from: options.from }),
        ...(options.to === undefined ? {} : { to: options.to }),
      };
      const output = await workspace.analyze(names, filter, { fresh: options.fresh === true, ...(options.against === undefined ? {} : { against: options.against }) });
      out.result(output, () => renderAnalyzeText(output, new Map(ANALYSES.map((a) => [a.name, a.title]))));
    });
}
