import { z } from 'zod';
import { changeAddedSchema, changeRemovedSchema, changesListSchema } from '../api-schemas.js';
import { EraseLeftoversError, eraseCustomers } from '../../workspace/erase.js';
import { MAX_ERASE_IDS } from '../../workspace/erase-needles.js';
import { eraseReportSchema } from '../../workspace/erase-report.js';
import { importJobSchema } from '../import-jobs.js';
import { HttpProblem } from '../problems.js';
import { defineRoute, json } from '../route.js';

const none = z.strictObject({});

export const changesRoute = defineRoute({
  method: 'GET',
  path: '/api/changes',
  operationId: 'listChanges',
  summary: 'The changes recorded for the changes analysis (`cxray changes list`), oldest first.',
  tag: 'changes',
  access: 'read',
  query: none,
  params: none,
  responses: [{ status: 200, description: 'The recorded changes.', schema: changesListSchema }],
  handle: async ({ ctx }) => json({ workspace: ctx.workspace.paths.root, changes: await ctx.workspace.changes() }),
});

const changeBody = z.strictObject({
  name: z.string().describe('What the change is called in results (unique in the workspace).'),
  date: z.string().describe('The first day the change was in effect, YYYY-MM-DD.'),
  segment: z.string().optional().describe('The customers it touched, a segment rule; default every customer.'),
  compare: z.string().optional().describe('The comparison group, a rule; default every customer outside segment.'),
  description: z.string().optional(),
  before_months: z.number().int().optional().describe('Months before the date in the before window (default 6).'),
  after_months: z.number().int().optional().describe('Months from the date in the after window (default 6).'),
});

export const addChangeRoute = defineRoute({
  method: 'POST',
  path: '/api/changes',
  operationId: 'addChange',
  summary: 'Record a change (`cxray changes add`); needs --allow-writes.',
  tag: 'changes',
  access: 'write',
  query: none,
  params: none,
  body: changeBody,
  responses: [
    { status: 201, description: 'The change as stored, and all of them.', schema: changeAddedSchema },
    { status: 409, description: 'A change of that name is already stored.' },
  ],
  handle: async ({ ctx, body }) => {
    const input = Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined)) as Parameters<typeof ctx.workspace.addChange>[0];
    // In the lane: an analysis of the changes running meanwhile must not store a Result for the old list after it was dropped.
    const change = await ctx.lane.run(() => ctx.workspace.addChange(input));
    return json({ workspace: ctx.workspace.paths.root, change, changes: await ctx.workspace.changes() }, 201);
  },
});

export const removeChangeRoute = defineRoute({
  method: 'DELETE',
  path: '/api/changes/{name}',
  operationId: 'removeChange',
  summary: 'Remove a recorded change (`cxray changes rm`); needs --allow-writes.',
  tag: 'changes',
  access: 'write',
  query: none,
  params: z.strictObject({ name: z.string().min(1).max(200).describe('The change, as GET /api/changes names it (case aside).') }),
  responses: [
    { status: 200, description: 'The change removed, and those left.', schema: changeRemovedSchema },
    { status: 404, description: 'No change has this name.' },
  ],
  handle: async ({ ctx, params }) => {
    const removed = await ctx.lane.run(() => ctx.workspace.removeChange(params.name));
    return json({ workspace: ctx.workspace.paths.root, removed, changes: await ctx.workspace.changes() });
  },
});

export const startImportRoute = defineRoute({
  method: 'POST',
  path: '/api/import',
  operationId: 'startImport',
  summary: 'Import the files cxray.yaml names into a new version (`cxray import`), in the background; needs --allow-writes.',
  description: 'Answers 202 with a job at once; follow it at its Location. The server keeps answering from the current version until the import flips the pointer (last). One import at a time: 409 while one runs.',
  tag: 'import',
  access: 'write',
  query: none,
  params: none,
  body: z.strictObject({}).optional(),
  responses: [
    { status: 202, description: 'The import started; follow the job.', schema: importJobSchema },
    { status: 409, description: 'An import is already running.' },
  ],
  handle: async ({ ctx, origin }) => {
    const job = await ctx.imports.start();
    return json(job, 202, { location: `${origin}/api/import/${job.id}` });
  },
});

export const importJobRoute = defineRoute({
  method: 'GET',
  path: '/api/import/{job}',
  operationId: 'getImportJob',
  summary: 'An import job started through the API: running, done (with the version and row totals) or failed (with the error).',
  tag: 'import',
  access: 'read',
  query: none,
  params: z.strictObject({ job: z.string().max(100).describe('The job id POST /api/import answered with.') }),
  responses: [
    { status: 200, description: 'The job.', schema: importJobSchema },
    { status: 404, description: 'No job has this id (jobs are kept in memory, the last 20).' },
  ],
  handle: async ({ ctx, params }) => {
    const job = ctx.imports.get(params.job);
    if (job === undefined) throw new HttpProblem(404, 'unknown_job', `No import job ${JSON.stringify(params.job)}.`, { parameter: 'job', hint: 'Start one with POST /api/import; this server keeps its last 20 jobs in memory.' });
    return json(job);
  },
});

export const eraseRoute = defineRoute({
  method: 'POST',
  path: '/api/erase',
  operationId: 'eraseCustomers',
  summary: 'Erase customers from every import version, stored Result, snapshot, quarantine list and report in the workspace, and prove it (`cxray erase`); needs --allow-writes.',
  description:
    'Runs to the end before answering (the lane, so no analysis runs meanwhile; the versions the server holds open are closed first and the Results it keeps in memory are dropped after). ' +
    'Answers with what was removed where and the proof: every text column of every table and version, every text file of the workspace and the bytes of every store file searched, nothing found. ' +
    'Source exports are not changed. 409 while an import runs.',
  tag: 'erase',
  access: 'write',
  query: none,
  params: none,
  body: z.strictObject({ customers: z.array(z.string().min(1).max(1000)).min(1).max(MAX_ERASE_IDS).describe('The customer ids, as the customers export writes them.') }),
  responses: [
    { status: 200, description: 'Erased and proven: what was removed where, and the proof.', schema: eraseReportSchema },
    { status: 409, description: 'An import runs, or a file that is not cxray\'s still names a customer (the problem says where; everything cxray keeps was erased).' },
  ],
  handle: async ({ ctx, body }) => {
    const running = (await ctx.workspace.status()).importRunning;
    if (running !== null) {
      throw new HttpProblem(409, 'import_running', `Process ${running.pid} is importing into this workspace since ${running.since}.`, { hint: 'Wait for the import to finish (GET /api/import/{job}), then erase.' });
    }
    try {
      const report = await ctx.lane.run(() => eraseCustomers(ctx.workspace, body.customers, { beforeChange: () => ctx.stores.close() }));
      return json(report);
    } catch (error) {
      if (error instanceof EraseLeftoversError) throw new HttpProblem(409, error.code, error.message, { hint: error.hint ?? '' });
      throw error;
    } finally {
      // Version files were replaced under the same numbers: nothing opened or computed before may answer again.
      await ctx.stores.close();
      ctx.results.clear();
    }
  },
});
