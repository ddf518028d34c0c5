import type { Command } from 'commander';
import { contextOf, examples } from '../context.js';
import { formatLedger } from '../format.js';
import { createProgress } from '../progress.js';

export function registerImport(program: Command): void {
  program
    .command('import')
    .description('Read every source declared in cxray.yaml into a new store version, with a row ledger and quarantine.')
    .option('--dry-run', 'read and validate everything, print the ledger, change nothing')
    .addHelpText(
      'after',
      `
Every row read is loaded or quarantined: read = loaded + quarantined, where
loaded = inserted + exact duplicates dropped + rows excluded by a declared rule.
Quarantined rows are listed in quarantine/<source>.csv with file, line, column
and reason. A new version becomes current only when complete; re-importing
unchanged files and config writes no version.
${examples('cxray import', 'cxray import --dry-run', 'cxray import --workspace ./acme --json | jq .ledger.totals')}`,
    )
    .action(async (options: { dryRun?: boolean }, command: Command) => {
      const { out, workspace } = contextOf(command);
      const progress = createProgress('importing', 'MB');
      let result;
      try {
        result = await workspace.import({
          dryRun: options.dryRun === true,
          onProgress: (p) => progress.update(Math.round(p.done / 1e6), Math.round(p.total / 1e6), `${p.phase}${p.source === undefined ? '' : ` ${p.source}`}`),
        });
      } finally {
        progress.stop();
      }
      for (const w of result.warnings) out.warn(w);
      out.result({ workspace: workspace.paths.root, ...result }, () => {
        if (!result.changed) return `Nothing changed since version ${result.version ?? '?'}: same files, same config. No new version written.`;
        const title = result.dryRun
          ? 'Dry run: nothing was written.'
          : `Imported version ${result.version ?? '?'} (as of ${result.ledger.asOf}); it is now current.`;
        const q = result.quarantineFiles.length > 0 && result.ledger.totals.quarantined > 0 ? `\n\nQuarantine files: ${result.quarantineFiles.join(', ')}` : '';
        return formatLedger(result.ledger, title) + q;
      });
    });
}
