import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { UserError } from '../errors.js';
import type { Workspace } from '../workspace/workspace.js';
import { HttpProblem } from './problems.js';

export const importJobSchema = z.object({
  id: z.string(),
  status: z.enum(['running', 'done', 'failed']),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  progress: z.object({ phase: z.string(), source: z.string().nullable(), done: z.number(), total: z.number() }).nullable().describe('The latest progress the import reported (bytes or rows of the phase).'),
  result: z
    .object({
      changed: z.boolean().describe('False when files and config were unchanged: no version was written.'),
      version: z.number().int().nullable(),
      totals: z.object({ read: z.number(), loaded: z.number(), quarantined: z.number() }),
      warnings: z.array(z.string()),
    })
    .nullable(),
  error: z.object({ code: z.string(), message: z.string(), hint: z.string() }).nullable(),
});

export type ImportJob = z.infer<typeof importJobSchema>;

/** Finished jobs remembered for GET /api/import/{job}. */
const KEPT_JOBS = 20;

/**
 * Imports started through the API, one at a time: each runs Workspace.import
 * in this process (it writes a new version and flips the current pointer
 * last, so the server keeps answering from the old version meanwhile) and
 * is followed by its job id.
 *
 * @example
 * const job = await jobs.start(); // 409 problem when one is running
 * jobs.get(job.id)?.status; // 'running' | 'done' | 'failed'
 */
export class ImportJobs {
  private readonly jobs = new Map<string, ImportJob>();
  private current: Promise<void> | null = null;

  constructor(
    private readonly workspace: Workspace,
    private readonly log: (line: string) => void,
  ) {}

  get(id: string): ImportJob | undefined {
    return this.jobs.get(id);
  }

  /** Starts an import; a 409 problem when one is running here or in another process. */
  async start(): Promise<ImportJob> {
    const running = [...this.jobs.values()].find((j) => j.status === 'running');
    if (running !== undefined) {
      throw new HttpProblem(409, 'import_running', `An import is already running (job ${running.id}, since ${running.startedAt}).`, { hint: `Follow it at /api/import/${running.id}; start another when it is done.` });
    }
    const elsewhere = (await this.workspace.status()).importRunning;
    if (elsewhere !== null && elsewhere.pid !== process.pid) {
      throw new HttpProblem(409, 'workspace_busy', `Process ${elsewhere.pid} is importing into this workspace since ${elsewhere.since}.`, { hint: 'Wait for it to finish, then try again.' });
    }
    // Checked again here: the status read above yields, and a second request may have started a job meanwhile.
    if ([...this.jobs.values()].some((j) => j.status === 'running')) return this.start();
    const job: ImportJob = { id: randomUUID(), status: 'running', startedAt: new Date().toISOString(), finishedAt: null, progress: null, result: null, error: null };
    this.jobs.set(job.id, job);
    this.forgetOld();
    this.current = this.run(job);
    return { ...job };
  }

  /** Resolves when no import is running (for closing the server). */
  async settle(): Promise<void> {
    await this.current;
  }

  private async run(job: ImportJob): Promise<void> {
    try {
      const result = await this.workspace.import({
        onProgress: (p) => {
          job.progress = { phase: p.phase, source: p.source ?? null, done: p.done, total: p.total };
        },
      });
      const { read, loaded, quarantined } = result.ledger.totals;
      job.result = { changed: result.changed, version: result.version, totals: { read, loaded, quarantined }, warnings: result.warnings };
      job.status = 'done';
    } catch (error) {
      job.status = 'failed';
      if (error instanceof UserError) {
        job.error = { code: error.code, message: error.message, hint: error.hint ?? '' };
      } else {
        job.error = { code: 'internal_error', message: 'The import failed.', hint: 'This is a bug in cxray: the server log has the details; report it.' };
        this.log(`import job ${job.id} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      }
    } finally {
      job.finishedAt = new Date().toISOString();
    }
  }

  private forgetOld(): void {
    const finished = [...this.jobs.values()].filter((j) => j.status !== 'running');
    for (const old of finished.slice(0, Math.max(0, finished.length - KEPT_JOBS))) this.jobs.delete(old.id);
  }
}
