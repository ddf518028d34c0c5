import type { Command } from 'commander';
import { UserError } from '../../errors.js';
import { contextOf, examples } from '../context.js';
import { table } from '../format.js';

export function registerVersions(program: Command): void {
  program
    .command('versions')
    .description('List the import versions with their ledgers; the current one is marked *.')
    .addHelpText('after', examples('cxray versions', 'cxray versions --json'))
    .action(async (_options: unknown, command: Command) => {
      const { out, workspace } = contextOf(command);
      const versions = await workspace.versions();
      const current = await workspace.currentVersion();
      out.result({ current, versions }, () =>
        versions.length === 0
          ? 'No versions yet (run `cxray import`).'
          : table(
              ['', 'version', 'created (UTC)', 'as of', 'files', 'read', 'inserted', 'quarantined'],
              versions.map((v) => [v.version === current ? '*' : '', v.version, v.createdAt.replace('T', ' ').slice(0, 19), v.asOf, v.files.length, v.totals.read, v.totals.inserted, v.totals.quarantined]),
            ),
      );
    });

  program
    .command('rollback')
    .argument('<version>', 'the version number to make current (see `cxray versions`)')
    .description('Make an older import version current. Nothing is deleted; a later rollback can return.')
    .addHelpText('after', examples('cxray rollback 3'))
    .action(async (versionText: string, _options: unknown, command: Command) => {
      const { out, workspace } = contextOf(command);
      const version = Number(versionText);
      if (!Number.isInteger(version) || version < 1) {
        throw new UserError('bad_argument', `"${versionText}" is not a version number.`, { hint: 'Give a whole number from `cxray versions`.' });
      }
      const ledger = await workspace.rollback(version);
      out.result({ current: version, ledger }, () => `Version ${version} (imported ${ledger.createdAt}, as of ${ledger.asOf}) is now current.`);
    });
}
