import { Command, CommanderError } from 'commander';
import { createRequire } from 'node:module';
import { registerAnalyze } from './commands/analyze.js';
import { registerChanges } from './commands/changes.js';
import { registerDemo } from './commands/demo.js';
import { registerErase } from './commands/erase.js';
import { registerExport } from './commands/export.js';
import { registerImport } from './commands/import.js';
import { registerInit } from './commands/init.js';
import { registerReport } from './commands/report.js';
import { registerScoreProspects } from './commands/score-prospects.js';
import { registerServe } from './commands/serve.js';
import { registerSimulate } from './commands/simulate.js';
import { registerStatus } from './commands/status.js';
import { registerVersions } from './commands/versions.js';
import { registerWhatIf } from './commands/whatif.js';
import { describeError } from './output.js';

const require = createRequire(import.meta.url);
const { version } = require('../../package.json') as { version: string };

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('cxray')
    .description('Find your right customers and where your customer experience is strong, weak or unfair, from the exports you already have.')
    .version(version, '-V, --version')
    .option('-w, --workspace <dir>', 'the workspace folder (cxray.yaml, store, reports); default: the current folder')
    .option('--json', 'print exactly one JSON document on stdout')
    .option('--debug', 'show stack traces on errors')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .addHelpText(
      'after',
      `
Exit codes: 0 done (also when rows were quarantined), 1 something for you to fix
(bad flag or config, missing or unreadable file, busy workspace), 2 a bug.

Start here:
  $ cxray demo                                   simulate a company, import, serve
  $ cxray init --from exports/ && cxray import   your own exports`,
    );
  registerInit(program);
  registerImport(program);
  registerStatus(program);
  registerVersions(program);
  registerSimulate(program);
  registerDemo(program);
  registerServe(program);
  registerAnalyze(program);
  registerWhatIf(program);
  registerChanges(program);
  registerScoreProspects(program);
  registerExport(program);
  registerReport(program);
  registerErase(program);
  for (const command of allCommands(program)) command.exitOverride();
  return program;
}

/** Every command below the program, subcommands (`export scores`) included. */
function allCommands(command: Command): Command[] {
  return command.commands.flatMap((c) => [c, ...allCommands(c)]);
}

/**
 * Run the CLI and return the exit code (0 done, 1 user error, 2 bug).
 * Long-running commands (serve, demo) resolve when they stop.
 */
export async function main(argv: string[]): Promise<number> {
  const json = argv.includes('--json');
  const debug = argv.includes('--debug');
  const program = buildProgram();
  let usageMessage = '';
  program.configureOutput({
    writeErr: (text) => {
      if (json) usageMessage += text;
      else process.stderr.write(text);
    },
  });
  for (const command of allCommands(program)) {
    command.configureOutput({
      writeErr: (text) => {
        if (json) usageMessage += text;
        else process.stderr.write(text);
      },
    });
  }
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return 0;
      if (json) {
        const message = (usageMessage || error.message).replace(/^error: /, '').split('\n')[0] ?? error.message;
        process.stdout.write(`${JSON.stringify({ error: { code: 'usage', message, hint: 'Run the command with --help for usage.' } })}\n`);
      }
      return 1;
    }
    const report = describeError(error, debug);
    if (json) process.stdout.write(`${JSON.stringify(report.json)}\n`);
    else process.stderr.write(`${report.text}\n`);
    return report.exitCode;
  }
}
