import type { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline/promises';
import { UserError } from '../../errors.js';
import { eraseCustomers, eraseReportOf } from '../../workspace/erase.js';
import type { EraseReport } from '../../workspace/erase-report.js';
import { contextOf, examples } from '../context.js';
import { createProgress } from '../progress.js';

interface EraseFlags {
  fromFile?: string;
  yes?: boolean;
}

/** Ids from a file: one a line; blank lines are skipped. */
async function idsFromFile(path: string): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new UserError('file_unreadable', `The id list ${path} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}).`, { hint: 'Give --from-file a text file with one customer id a line.', file: path, cause: error });
  }
  return text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l.length > 0);
}

/**
 * Erasing cannot be undone, so it is confirmed: --yes, or typing "erase" at
 * the terminal. Without a terminal to ask on (a script, a pipe) and without
 * --yes it refuses rather than guess.
 */
async function confirm(count: number, workspace: string, yes: boolean): Promise<void> {
  if (yes) return;
  if (process.stdin.isTTY !== true) {
    throw new UserError('confirmation_required', `cxray erase deletes ${count} customer${count === 1 ? '' : 's'} from ${workspace} for good, and there is no terminal to confirm on.`, {
      hint: 'Add --yes to confirm, e.g. `cxray erase C-1001 --yes`.',
    });
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(`Erase ${count} customer${count === 1 ? '' : 's'} from every version, result, snapshot, quarantine list and report of ${workspace}? This cannot be undone. Type "erase" to go on: `);
    if (answer.trim().toLowerCase() !== 'erase') throw new UserError('not_confirmed', 'Nothing was erased.', { hint: 'Type "erase" when asked, or add --yes.' });
  } finally {
    rl.close();
  }
}

const count = (n: number, one: string, many = `${one}s`): string => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
const mb = (bytes: number | null): string => (bytes === null ? '?' : `${(bytes / 1e6).toFixed(1)} MB`);

/** The erase report for a person. */
export function renderEraseReport(report: EraseReport): string {
  const found = report.customers.filter((c) => c.found).map((c) => c.id);
  const lines = [`Erased ${count(found.length, 'customer')}${found.length > 0 ? ` (${found.join(', ')})` : ''} from ${count(report.versions.length, 'import version')} in ${report.seconds} s.`];
  for (const v of report.versions) {
    const rows = Object.entries(v.rowsRemoved).map(([t, n]) => `${t} ${n}`);
    const cleared = [
      ...Object.entries(v.referencesCleared).map(([c, n]) => `${c} cleared in ${count(n, 'row')}`),
      ...Object.entries(v.textRedacted).map(([c, n]) => `mentions in ${c} replaced by [erased] in ${count(n, 'row')}`),
    ];
    const how = v.engine === 'duckdb' ? `file rewritten, ${mb(v.bytesBefore)} -> ${mb(v.bytesAfter)}` : `${count(v.mutations, 'ClickHouse mutation')}, done on every shard`;
    lines.push(`  version ${v.version} (${how}): ${rows.length === 0 ? 'no rows held them' : `rows removed: ${rows.join(', ')}`}${cleared.length > 0 ? `; ${cleared.join(', ')}` : ''}`);
  }
  const deleted = [count(report.results.length, 'stored Result folder'), count(report.snapshots.length, 'snapshot file'), count(report.reports.length, 'report file')];
  if (report.otherFiles.length > 0) deleted.push(count(report.otherFiles.length, 'leftover file'));
  lines.push(`Deleted ${deleted.join(', ')}.`);
  if (report.quarantine.length > 0) lines.push(`Quarantine lists: ${report.quarantine.map((q) => `${q.file} ${count(q.rowsRemoved, 'row')}`).join(', ')} removed.`);
  const s = report.proof.searched;
  lines.push(
    report.proof.clean
      ? `Proof: nothing found in ${count(s.columns, 'text column')} of ${count(s.tables, 'table')} in ${count(s.versions, 'version')}, ${count(s.files, 'text file')} and the bytes of ${count(s.storeFiles, 'store file')}.`
      : `Proof: still found in ${count(report.proof.findings.length, 'place')}.`,
  );
  if (report.proof.shortIds.length > 0) lines.push(`Short ids (${report.proof.shortIds.join(', ')}) were matched as whole values only: in id columns, JSON strings, CSV id columns and quarantined fields.`);
  if (report.proof.notSearched.length > 0) lines.push(`Not searched: ${report.proof.notSearched.map((n) => `${n.file} (${n.reason.split(':')[0]})`).join(', ')}.`);
  lines.push('', ...report.notes.map((n) => `- ${n}`));
  return lines.join('\n');
}

export function registerErase(program: Command): void {
  program
    .command('erase')
    .argument('[ids...]', 'the customer ids to erase, as your customers export writes them')
    .description('Erase customers from everything cxray keeps (every import version, stored Result, snapshot, quarantine list and report), and prove it.')
    .option('--from-file <file>', 'read the customer ids from a file, one a line (added to those given as arguments)')
    .option('--yes', 'confirm: erasing cannot be undone (required when stdin is not a terminal)')
    .addHelpText(
      'after',
      `
Every import version loses the customers' rows (an embedded store file is
copied without them and renamed over the old one, so no freed block keeps
them; on ClickHouse, DELETE mutations are waited for on every shard), and
another customer's referred_by naming them is cleared, and a mention of
their id in another customer's free text (a comment) becomes [erased]
(ids of 6 characters or more). Every stored Result
and snapshot of a version that held them is deleted (aggregates included
them: the next \`cxray analyze\` recomputes), so are their quarantined records
and the reports in the workspace made from those versions. Then every text
column of every table and version, every text file of the workspace and the
bytes of every store file are searched for the ids, their salted hashes and
their identity keys (hashed e-mails); anything found fails the command.

Your source exports are not changed: an import of unchanged files writes no
new version, but the next import of changed files brings the customers back
unless you remove them from the exports too. Runs under the import lock;
stop \`cxray serve\` first (or use POST /api/erase on a server started with
--allow-writes), since a process holding a version open blocks the erase.

Exit codes: 0 erased and proven, 1 something for you to fix (no --yes
without a terminal, a busy workspace, a file of yours that still names a
customer), 2 a bug (the proof found a customer where erase should have
removed it). With --json the output is one document: {workspace, customers,
versions, results, snapshots, quarantine, reports, otherFiles, proof, notes,
seconds}.
${examples('cxray erase C-1001 C-1002 --yes', 'cxray erase --from-file erase-requests.txt --yes --json', 'cxray erase C-1001   # asks to confirm on a terminal')}`,
    )
    .action(async (args: string[], flags: EraseFlags, command: Command) => {
      const { out, workspace } = contextOf(command);
      const ids = [...args, ...(flags.fromFile === undefined ? [] : await idsFromFile(flags.fromFile))];
      if (ids.length === 0) throw new UserError('bad_customer_id', 'No customer id was given.', { hint: 'Name the customers to erase: `cxray erase C-1001 C-1002 --yes`, or `--from-file ids.txt` (one id a line).' });
      await workspace.config();
      await confirm(new Set(ids.map((i) => i.trim())).size, workspace.paths.root, flags.yes === true);
      const bar = createProgress('erase', 'steps');
      let report: EraseReport;
      try {
        report = await eraseCustomers(workspace, ids, {
          onProgress: (p) => bar.update(p.done, Math.max(1, p.total), p.step),
          ...(flags.fromFile === undefined ? {} : { idFiles: [flags.fromFile] }),
        });
      } catch (error) {
        bar.stop();
        const partial = eraseReportOf(error);
        // What was removed is worth seeing even when the proof failed; the error follows on stderr.
        if (partial !== null && !out.json) out.result(partial, () => renderEraseReport(partial));
        throw error;
      }
      bar.stop();
      out.result(report, () => renderEraseReport(report));
    });
}
