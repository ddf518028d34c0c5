import { join } from 'node:path';
import { z } from 'zod';
import { ANALYSIS_NAMES, isAnalysisName, type AnalysisName } from '../../analysis/names.js';
import { unmetNeeds } from '../../analysis/needs.js';
import { analysisByName, ANALYSES } from '../../analysis/registry.js';
import { readStoredResult, resultFile } from '../../analysis/result-store.js';
import { SEVERITIES, type Result } from '../../analysis/result.js';
import type { AnalysisFilter } from '../../analysis/types.js';
import { nearest } from '../../config/suggest.js';
import { versionName } from '../../workspace/paths.js';
import type { ApiContext } from '../api-context.js';
import { analysesSchema, resultSummariesSchema } from '../api-schemas.js';
import { tableCsv } from '../csv.js';
import { baseContext } from '../customer-scores.js';
import { filterShape, periodInOrder } from '../params.js';
import { HttpProblem } from '../problems.js';
import { defineRoute, json } from '../route.js';

const none = z.strictObject({});
const filterQuery = z.strictObject(filterShape).superRefine(periodInOrder);

export function filterOf(query: { segment?: string | undefined; from?: string | undefined; to?: string | undefined }): AnalysisFilter {
  return { ...(query.segment === undefined ? {} : { segment: query.segment }), ...(query.from === undefined ? {} : { from: query.from }), ...(query.to === undefined ? {} : { to: query.to }) };
}

/** A 404 for a name that is no analysis, with the nearest one. */
export function analysisName(name: string, parameter = 'name'): AnalysisName {
  if (isAnalysisName(name)) return name;
  const near = nearest(name, ANALYSIS_NAMES);
  throw new HttpProblem(404, 'unknown_analysis', `There is no analysis called ${JSON.stringify(name)}.`, {
    parameter,
    hint: near === undefined ? 'GET /api/analyses lists them.' : `Did you mean ${near}? (GET /api/analyses lists them.)`,
  });
}

/** Status of the unfiltered Result in this version: from memory, else the result store, else not run yet. */
async function computedStatus(ctx: ApiContext, name: AnalysisName, version: number, configHash: string): Promise<Result['status'] | 'not_run'> {
  const kept = await ctx.results.peek(name);
  if (kept !== undefined) return kept.status;
  const stored = await readStoredResult(resultFile(join(ctx.workspace.paths.results, versionName(version)), name, {}));
  const fresh = stored !== null && stored.importVersion === version && stored.provenance.configHash === configHash && stored.method.revision === analysisByName(name).revision;
  return fresh ? stored.status : 'not_run';
}

export const analysesRoute = defineRoute({
  method: 'GET',
  path: '/api/analyses',
  operationId: 'listAnalyses',
  summary: 'Every analysis: its title, what it needs, whether this import has it, and the status of its Result in this version.',
  tag: 'analyses',
  access: 'read',
  query: none,
  params: none,
  responses: [{ status: 200, description: 'The analyses, in their fixed order.', schema: analysesSchema }],
  handle: async ({ ctx }) =>
    ctx.stores.use(async (held) => {
      const facts = (await baseContext(ctx, held)).facts;
      const { hash } = await ctx.workspace.config();
      const tableRows = held.ledger.tables;
      const analyses = [];
      for (const a of ANALYSES) {
        const reason = a.implemented ? unmetNeeds(a, { tableRows, facts }) : 'Not built yet.';
        analyses.push({ name: a.name, title: a.title, description: a.description, needs: [...a.needs], needsColumns: [...a.needsColumns], dependsOn: [...a.dependsOn], runnable: reason === null, reason, status: await computedStatus(ctx, a.name, held.version, hash) });
      }
      return json({ importVersion: held.version, analyses });
    }),
});

const severityRank = (s: string): number => SEVERITIES.length - SEVERITIES.indexOf(s as (typeof SEVERITIES)[number]);

function summaryOf(result: Result, query: string): z.infer<typeof resultSummariesSchema>['results'][number] {
  return {
    name: result.name,
    title: analysisByName(result.name).title,
    status: result.status,
    reason: result.reason ?? null,
    summary: result.summary,
    findings: [...result.findings].sort((a, b) => severityRank(a.severity) - severityRank(b.severity)).map((f) => ({ code: f.code, text: f.text, severity: f.severity })),
    tables: result.tables.map((t) => ({ name: t.name, rows: t.rows.length, csv: `/api/tables/${result.name}/${encodeURIComponent(t.name)}.csv${query}` })),
    charts: result.charts.length,
    warnings: result.warnings,
    href: `/api/results/${result.name}${query}`,
  };
}

function queryText(filter: AnalysisFilter): string {
  const search = new URLSearchParams(Object.entries(filter).filter((e): e is [string, string] => typeof e[1] === 'string'));
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
}

export const resultsRoute = defineRoute({
  method: 'GET',
  path: '/api/results',
  operationId: 'listResults',
  summary: 'A summary of every analysis for a segment and period: status, sentences, findings, tables (each with its CSV link).',
  description: 'Runs every analysis not yet computed for this import version, config and filter (stored Results are reused); the first call on a new import can take a while.',
  tag: 'analyses',
  access: 'read',
  query: filterQuery,
  params: none,
  responses: [{ status: 200, description: 'One summary per analysis, in run order.', schema: resultSummariesSchema }],
  handle: async ({ ctx, query }) => {
    const filter = filterOf(query);
    const { importVersion, results } = await ctx.results.get([], filter);
    const text = queryText(filter);
    return json({ workspace: ctx.workspace.paths.root, importVersion, filter: results[0]?.provenance.filter ?? {}, results: results.map((r) => summaryOf(r, text)) });
  },
});

export const resultRoute = defineRoute({
  method: 'GET',
  path: '/api/results/{name}',
  operationId: 'getResult',
  summary: 'One analysis Result for a segment and period (computed once per import version, config and filter, then kept).',
  tag: 'analyses',
  access: 'read',
  query: filterQuery,
  params: z.strictObject({ name: z.string().describe(`An analysis name: ${ANALYSIS_NAMES.join(', ')}.`) }),
  responses: [
    { status: 200, description: 'The Result (docs/result.schema.json).', schema: { ref: 'Result' } },
    { status: 404, description: 'No analysis has this name.' },
  ],
  handle: async ({ ctx, query, params }) => {
    const name = analysisName(params.name);
    const { results, cached } = await ctx.results.get([name], filterOf(query));
    return json(results[0], 200, { 'x-cxray-cache': cached ? 'hit' : 'miss' });
  },
});

export const tableCsvRoute = defineRoute({
  method: 'GET',
  path: '/api/tables/{analysis}/{table}.csv',
  operationId: 'getTableCsv',
  summary: 'Any table of a Result as CSV (text cells that start like a spreadsheet formula get a leading apostrophe).',
  tag: 'analyses',
  access: 'read',
  query: filterQuery,
  params: z.strictObject({ analysis: z.string().describe('An analysis name.'), table: z.string().describe('A table name of its Result.') }),
  responses: [
    { status: 200, description: 'The table as CSV, header first.', contentType: 'text/csv; charset=utf-8' },
    { status: 404, description: 'No such analysis, or its Result has no such table.' },
  ],
  handle: async ({ ctx, query, params }) => {
    const name = analysisName(params.analysis, 'analysis');
    const [result] = (await ctx.results.get([name], filterOf(query))).results;
    const table = result?.tables.find((t) => t.name === params.table);
    if (result === undefined || table === undefined) {
      const names = result?.tables.map((t) => t.name) ?? [];
      const near = nearest(params.table, names);
      throw new HttpProblem(404, 'unknown_table', `The ${name} Result has no table called ${JSON.stringify(params.table)}.`, {
        parameter: 'table',
        hint: names.length === 0 ? `This Result has no tables (${result?.status ?? 'no result'}${result?.reason === undefined ? '' : `: ${result.reason}`}).` : `${near === undefined ? '' : `Did you mean ${near}? `}Its tables: ${names.join(', ')}.`,
      });
    }
    const file = `${name}-${table.name}`.replace(/[^A-Za-z0-9_.-]/g, '_');
    return { kind: 'text', contentType: 'text/csv; charset=utf-8', body: tableCsv(table), headers: { 'content-disposition': `attachment; filename="${file}.csv"` } };
  },
});
