import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { pointsFromText } from '../../analysis/perfect-customer/what-if.js';
import { UserError } from '../../errors.js';
import { whatIfAnswerSchema } from '../api-schemas.js';
import { segmentParam } from '../params.js';
import { defineRoute, json } from '../route.js';

const none = z.strictObject({});

export const whatIfRoute = defineRoute({
  method: 'GET',
  path: '/api/whatif',
  operationId: 'whatIf',
  summary: 'N more points of adoption of a behaviour: money a year, change in satisfaction and in churn, each with an interval (`cxray whatif`).',
  tag: 'scores',
  access: 'read',
  query: z.strictObject({
    behaviour: z.string().max(200).optional().describe('A key under behaviours in cxray.yaml.'),
    behavior: z.string().max(200).optional().describe('The same, spelt the American way.'),
    points: z.string().max(50).optional().describe('More percentage points of adoption, 0 to 100.'),
    segment: segmentParam.optional(),
  }),
  params: none,
  responses: [{ status: 200, description: 'The what-if answer.', schema: whatIfAnswerSchema }],
  handle: async ({ ctx, query }) => {
    const behaviour = (query.behaviour ?? query.behavior ?? '').trim();
    if (behaviour === '') throw new UserError('bad_argument', 'Say which behaviour: ?behaviour=KEY.', { hint: 'The keys are those under behaviours in cxray.yaml, e.g. /api/whatif?behaviour=autopay&points=10.' });
    const points = pointsFromText(query.points);
    const answer = await ctx.lane.run(() => ctx.workspace.whatif({ behaviour, points, ...(query.segment === undefined ? {} : { segment: query.segment }) }));
    return json(answer);
  },
});

const formatParam = z
  .string()
  .superRefine((format, c) => {
    if (format !== 'csv' && format !== 'parquet') c.addIssue({ code: 'custom', message: `format=${format}: use csv or parquet.`, params: { code: 'bad_argument', hint: '/api/export/scores?format=csv' } });
  })
  .meta({ enum: ['csv', 'parquet'] })
  .describe('csv (default) or parquet.');

export const exportScoresRoute = defineRoute({
  method: 'GET',
  path: '/api/export/scores',
  operationId: 'exportScores',
  summary: 'One row per customer for a CRM (`cxray export scores`): fit score, Perfect Customer Index, lifetime value, P(alive), churn risk, churned, segments.',
  tag: 'scores',
  access: 'read',
  query: z.strictObject({ format: formatParam.optional(), segment: segmentParam.optional() }),
  params: none,
  responses: [
    { status: 200, description: 'The scores file (CSV or Parquet).', contentType: 'text/csv; charset=utf-8' },
    { status: 200, description: 'The scores file as Parquet.', contentType: 'application/vnd.apache.parquet' },
  ],
  handle: async ({ ctx, query }) => {
    const format = (query.format ?? 'csv') as 'csv' | 'parquet';
    const dir = await mkdtemp(join(tmpdir(), 'cxray-export-'));
    const cleanup = (): Promise<void> => rm(dir, { recursive: true, force: true });
    try {
      const out = join(dir, `scores.${format}`);
      await ctx.lane.run(() => ctx.workspace.exportScores({ out, actions: join(dir, `actions.${format}`), ...(query.segment === undefined ? {} : { segment: query.segment }) }));
      return {
        kind: 'stream',
        contentType: format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.apache.parquet',
        headers: { 'content-disposition': `attachment; filename="scores.${format}"` },
        stream: createReadStream(out),
        cleanup,
      };
    } catch (error) {
      await cleanup();
      throw error;
    }
  },
});
