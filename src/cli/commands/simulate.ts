import type { Command } from 'commander';
import { resolve } from 'node:path';
import { UserError } from '../../errors.js';
import { simulateCompany } from '../../simulate/index.js';
import { contextOf, examples } from '../context.js';
import { createProgress } from '../progress.js';

export function parseWholeNumber(text: string, flag: string, min: number, max: number): number {
  const value = Number(text.replace(/_/g, '').replace(/k$/i, '000').replace(/m$/i, '000000'));
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new UserError('bad_argument', `${flag} ${text} is not a whole number from ${min} to ${max}.`, { hint: `For example ${flag} ${Math.min(max, Math.max(min, 20000))}.` });
  }
  return value;
}

export function registerSimulate(program: Command): void {
  program
    .command('simulate')
    .description('Write the exports of a simulated company with planted truth (truth.json): for demos, tests and benchmarks.')
    .option('--customers <n>', 'number of customers (1k, 20k, 1m accepted)', '20000')
    .option('--seed <s>', 'random seed; the same seed writes the same files', '1')
    .requiredOption('--out <dir>', 'folder to write the exports into')
    .addHelpText(
      'after',
      `
The files are in the formats of real tools (HubSpot contacts, Stripe payments and
subscriptions, Zendesk tickets, a Qualtrics survey, GA4 events, referrals and a
prospect list), with planted bad rows, personal data and themed comments.
truth.json records what was planted (docs/simulated-company.md).
${examples('cxray simulate --out ./northwind', 'cxray simulate --customers 1m --seed 7 --out /tmp/big')}`,
    )
    .action(async (options: { customers: string; seed: string; out: string }, command: Command) => {
      const { out } = contextOf(command);
      const customers = parseWholeNumber(options.customers, '--customers', 10, 50_000_000);
      const seed = parseWholeNumber(options.seed, '--seed', 0, 2 ** 31 - 1);
      const progress = createProgress('simulating', 'customers');
      try {
        const summary = await simulateCompany({ customers, seed, outDir: resolve(options.out), onProgress: (done, total) => progress.update(done, total) });
        progress.stop();
        out.result(summary, () =>
          [
            `Simulated ${customers.toLocaleString('en-US')} customers (seed ${seed}) in ${summary.seconds.toFixed(1)} s into ${summary.outDir}:`,
            ...Object.entries(summary.files).map(([name, f]) => `  ${name}: ${f.rows.toLocaleString('en-US')} rows (${(f.bytes / 1e6).toFixed(1)} MB)`),
            `Planted truth: ${summary.truthPath}`,
          ].join('\n'),
        );
      } finally {
        progress.stop();
      }
    });
}
