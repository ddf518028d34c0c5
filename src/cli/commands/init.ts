import type { Command } from 'commander';
import { resolve } from 'node:path';
import { UserError } from '../../errors.js';
import { initWorkspace } from '../../init/index.js';
import { contextOf, examples } from '../context.js';

export function registerInit(program: Command): void {
  program
    .command('init')
    .argument('[dir]', 'the workspace folder to write cxray.yaml into (default: --workspace, else .)')
    .description('Recognise your exports (Stripe, HubSpot, Zendesk, Qualtrics, GA4, ...) and write a commented cxray.yaml to check.')
    .requiredOption('--from <files...>', 'export files or folders to recognise')
    .option('--force', 'overwrite an existing cxray.yaml')
    .addHelpText(
      'after',
      `
init reads each file's header and a sample, recognises the tool that exported it,
guesses the table it feeds and how its columns map, and writes every guess with a
comment saying why. Read the file, correct what is wrong, then run \`cxray import\`.
${examples('cxray init --from exports/', 'cxray init acme --from ~/Downloads/unified_payments.csv ~/Downloads/contacts.csv', 'cxray init --force --from exports/')}`,
    )
    .action(async (dir: string | undefined, options: { from: string[]; force?: boolean }, command: Command) => {
      const ctx = contextOf(command);
      if (dir !== undefined && ctx.workspaceGiven && resolve(dir) !== ctx.workspaceDir) {
        throw new UserError('bad_argument', `init was given two different workspaces: ${resolve(dir)} and --workspace ${ctx.workspaceDir}.`, {
          hint: 'Give the folder once, as DIR or as --workspace.',
        });
      }
      const target = dir === undefined ? ctx.workspaceDir : resolve(dir);
      const result = await initWorkspace({ dir: target, from: options.from.map((f) => resolve(f)), force: options.force === true });
      ctx.out.result(result, () =>
        [
          `Wrote ${result.configPath}`,
          ...result.sources.map((s) => `  ${s.name}: ${s.tool ?? 'generic'} -> ${s.tables.join(', ')} (${s.files.join(', ')})`),
          ...(result.skipped.length > 0 ? ['Left out:', ...result.skipped.map((s) => `  ${s.file}: ${s.why}`)] : []),
          'Check the guesses in cxray.yaml, then run `cxray import`.',
        ].join('\n'),
      );
    });
}
