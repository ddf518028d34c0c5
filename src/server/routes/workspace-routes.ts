import { z } from 'zod';
import { healthSchema, statusSchema, versionsSchema } from '../api-schemas.js';
import type { ApiContext } from '../api-context.js';
import { defineRoute, json, type Reply } from '../route.js';
import { DASHBOARD_BUILD_HINT, dashboardBuilt } from '../static-files.js';
import { renderStatusPage } from '../status-page.js';

const none = z.strictObject({});

export const healthRoute = defineRoute({
  method: 'GET',
  path: '/api/health',
  operationId: 'health',
  summary: 'Whether the server is up (never needs the token).',
  tag: 'workspace',
  access: 'open',
  query: none,
  params: none,
  responses: [{ status: 200, description: 'The server answers.', schema: healthSchema }],
  handle: async () => json({ ok: true }),
});

export const statusRoute = defineRoute({
  method: 'GET',
  path: '/api/status',
  operationId: 'status',
  summary: 'The workspace: current import version, its tables and row totals, a running import.',
  tag: 'workspace',
  access: 'read',
  query: none,
  params: none,
  responses: [{ status: 200, description: 'The workspace status.', schema: statusSchema }],
  handle: async ({ ctx }) => json({ ...(await ctx.workspace.status()), server: { allowWrites: ctx.allowWrites, heldVersions: ctx.stores.heldVersions() } }),
});

export const versionsRoute = defineRoute({
  method: 'GET',
  path: '/api/versions',
  operationId: 'versions',
  summary: 'Every import version with its row ledger, and which one is current.',
  tag: 'workspace',
  access: 'read',
  query: none,
  params: none,
  responses: [{ status: 200, description: 'The import versions, oldest first.', schema: versionsSchema }],
  handle: async ({ ctx }) => json({ current: await ctx.workspace.currentVersion(), versions: await ctx.workspace.versions() }),
});

async function statusPage(ctx: ApiContext, notice?: string): Promise<Reply> {
  const status = await ctx.workspace.status();
  const versions = await ctx.workspace.versions();
  return { kind: 'text', contentType: 'text/html; charset=utf-8', body: renderStatusPage(status, versions.find((v) => v.version === status.currentVersion) ?? null, notice) };
}

/** Answers / only when no built dashboard is served there (serve.ts serves its index.html first). */
export const homeRoute = defineRoute({
  method: 'GET',
  path: '/',
  operationId: 'home',
  summary: 'The dashboard (HTML, `cxray serve`); where it is not built, the status page of /status, saying how to build it.',
  tag: 'workspace',
  access: 'read',
  query: none,
  params: none,
  responses: [{ status: 200, description: 'An HTML page.', contentType: 'text/html; charset=utf-8' }],
  handle: async ({ ctx }) => statusPage(ctx, ctx.dashboard !== undefined && !dashboardBuilt(ctx.dashboard) ? DASHBOARD_BUILD_HINT : undefined),
});

export const statusPageRoute = defineRoute({
  method: 'GET',
  path: '/status',
  operationId: 'statusPage',
  summary: 'The status page: the workspace and its row ledger (HTML).',
  tag: 'workspace',
  access: 'read',
  query: none,
  params: none,
  responses: [{ status: 200, description: 'An HTML page.', contentType: 'text/html; charset=utf-8' }],
  handle: async ({ ctx }) => statusPage(ctx),
});
