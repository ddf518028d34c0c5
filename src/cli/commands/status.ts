import type { Command } from 'commander';
import { contextOf, examples } from '../context.js';

export function registerStatus(program: Command): void {
  program
    .command('status')
    .description('Show the workspace: config, current version, table sizes, a running import.')
    .addHelpText('after', examples('cxray status', 'cxray status --json'))
    .action(async (_options: unknown, command: Command) => {
      const { out, workspace } = contextOf(command);
      const status = await workspace.status();
      out.result(status, () =>
        [
          `Workspace ${status.workspace}`,
          status.configured ? 'cxray.yaml: present' : 'cxray.yaml: missing (run `cxray init --from FILE...`)',
          status.currentVersion === null ? 'No import yet (run `cxray import`).' : `Current version ${status.currentVersion} of ${status.versions}, data as of ${status.asOf ?? '?'}.`,
          ...(status.totals === null
            ? []
            : [
                `Rows: ${status.totals.read.toLocaleString('en-US')} read, ${status.totals.inserted.toLocaleString('en-US')} inserted, ${status.totals.quarantined.toLocaleString('en-US')} quarantined.`,
                `Tables: ${Object.entries(status.tables).map(([t, n]) => `${t} ${n.toLocaleString('en-US')}`).join(', ')}`,
              ]),
          ...(status.importRunning === null ? [] : [`An import is running (process ${status.importRunning.pid}, since ${status.importRunning.since}).`]),
        ].join('\n'),
      );
    });
}
