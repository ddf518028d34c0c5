import { z } from 'zod';
import { changeSchema } from '../analysis/changes/change.js';
import { whatIfSchema } from '../analysis/perfect-customer/what-if.js';
import { STATUSES } from '../analysis/result.js';
import { CUSTOMER_SORTS } from './customer-list.js';

/**
 * The bodies the API answers with, as zod schemas: /openapi.json documents
 * them (z.toJSONSchema) and the tests check every answer against them, so
 * the document and the server cannot disagree unnoticed.
 */

const nullableNumber = z.number().nullable();

export const healthSchema = z.object({ ok: z.literal(true) });

export const ledgerSchema = z
  .looseObject({
    version: z.number().int(),
    createdAt: z.string(),
    asOf: z.string(),
    configHash: z.string(),
    files: z.array(z.looseObject({ source: z.string(), file: z.string(), read: z.number(), inserted: z.number(), quarantined: z.number() })),
    totals: z.looseObject({ read: z.number(), loaded: z.number(), quarantined: z.number() }),
    tables: z.record(z.string(), z.number()),
  })
  .describe('The row ledger of one import version: read = loaded + quarantined, per file.');

export const statusSchema = z.object({
  workspace: z.string(),
  configured: z.boolean(),
  currentVersion: z.number().int().nullable(),
  versions: z.number().int(),
  asOf: z.string().nullable(),
  tables: z.record(z.string(), z.number()),
  totals: z.looseObject({ read: z.number(), loaded: z.number(), quarantined: z.number() }).nullable(),
  importRunning: z.object({ pid: z.number(), since: z.string() }).nullable(),
  server: z.object({ allowWrites: z.boolean(), heldVersions: z.array(z.number().int()) }),
});

export const versionsSchema = z.object({ current: z.number().int().nullable(), versions: z.array(ledgerSchema) });

export const analysisInfoSchema = z.object({
  name: z.string(),
  title: z.string(),
  description: z.string(),
  needs: z.array(z.string()).describe('Canonical tables that must hold rows.'),
  needsColumns: z.array(z.string()).describe('customer_facts columns that must exist.'),
  dependsOn: z.array(z.string()),
  runnable: z.boolean().describe('Whether this import has what the analysis needs.'),
  reason: z.string().nullable().describe('Why it cannot run, and what to export; null when it can.'),
  status: z.enum([...STATUSES, 'not_run']).describe('Of the unfiltered Result in this import version: as computed, or not_run when not computed yet.'),
});

export const analysesSchema = z.object({ importVersion: z.number().int(), analyses: z.array(analysisInfoSchema) });

export const filterEchoSchema = z.object({ segment: z.string().optional(), from: z.string().optional(), to: z.string().optional() });

export const resultSummarySchema = z.object({
  name: z.string(),
  title: z.string(),
  status: z.enum(STATUSES),
  reason: z.string().nullable(),
  summary: z.array(z.string()),
  findings: z.array(z.object({ code: z.string(), text: z.string(), severity: z.string() })).describe('The findings, most severe first.'),
  tables: z.array(z.object({ name: z.string(), rows: z.number().int(), csv: z.string().describe('Where to download it as CSV.') })),
  charts: z.number().int(),
  warnings: z.array(z.string()),
  href: z.string().describe('The full Result.'),
});

export const resultSummariesSchema = z.object({ workspace: z.string(), importVersion: z.number().int(), filter: filterEchoSchema, results: z.array(resultSummarySchema) });

export const customerRowSchema = z.object({
  id: z.string(),
  segments: z.record(z.string(), z.string().nullable()).describe('Each cxray.yaml segment: the customer\'s value (or band).'),
  netValue: nullableNumber.describe('Net value to date in the workspace currency (customer_facts.net_value).'),
  fitScore: nullableNumber.describe('Fit score 0-100 (fit analysis).'),
  perfectCustomerIndex: nullableNumber.describe('Perfect Customer Index 0-100 (perfect-customer analysis).'),
  lifetimeValue: nullableNumber.describe('Discounted value of the next months of purchases (lifetime-value analysis).'),
  pAlive: nullableNumber.describe('Probability the customer is still buying (BG/NBD).'),
  churnRisk: nullableNumber.describe('Churn risk 0-1.'),
  churned: z.boolean().nullable(),
});

export const customerPageSchema = z.object({
  workspace: z.string(),
  importVersion: z.number().int(),
  segment: z.string().nullable().describe('The segment rule in its normal form; null for every customer.'),
  q: z.string().nullable(),
  sort: z.enum(CUSTOMER_SORTS),
  order: z.enum(['asc', 'desc']),
  page: z.number().int(),
  pageSize: z.number().int(),
  total: z.number().int().describe('Customers the segment and search select, over all pages.'),
  pages: z.number().int(),
  columns: z.array(z.object({ name: z.string(), description: z.string() })),
  notes: z.array(z.string()).describe('Scores left empty for every customer, and why.'),
  customers: z.array(customerRowSchema),
});

export const customerDetailSchema = z.object({
  workspace: z.string(),
  importVersion: z.number().int(),
  asOf: z.string(),
  id: z.string(),
  scores: customerRowSchema,
  facts: z.array(z.object({ name: z.string(), value: z.union([z.string(), z.number(), z.boolean(), z.null()]), unit: z.string().nullable(), description: z.string(), hidden: z.enum(['pii']).nullable() })),
  fit: z.union([
    z.object({
      status: z.literal('scored'),
      score: z.number(),
      base: z.number(),
      unclipped: z.number(),
      source: z.enum(['fitted', 'configured']),
      parts: z.array(z.object({ key: z.string(), label: z.string(), unit: z.string(), value: nullableNumber, points: z.number() })),
      sentence: z.string(),
    }),
    z.object({ status: z.literal('not_scored'), reason: z.string() }),
  ]),
  history: z.array(
    z.object({ month: z.string(), purchases: z.number(), revenue: z.number(), fees: z.number(), refunds: z.number(), credits: z.number(), interactions: z.number(), surveyAnswers: z.number(), meanNps: nullableNumber }),
  ),
  survey: z.object({
    total: z.number().int(),
    shown: z.number().int(),
    answers: z.array(
      z.object({ at: z.string(), instrument: z.string(), question: z.string().nullable(), area: z.string().nullable(), score: nullableNumber, comment: z.string().nullable(), commentHidden: z.enum(['hashed']).nullable() }),
    ),
  }),
  changes: z.array(z.object({ name: z.string(), date: z.string(), segment: z.string().nullable(), description: z.string().nullable() })),
  notes: z.array(z.string()),
});

export const segmentsSchema = z.object({
  workspace: z.string(),
  importVersion: z.number().int(),
  segment: z.string().nullable(),
  customers: z.number().int(),
  segments: z.array(
    z.object({
      key: z.string(),
      label: z.string(),
      column: z.string(),
      kind: z.enum(['values', 'bands']),
      levels: z.array(z.object({ value: z.string(), customers: z.number().int(), rule: z.string().describe('The segment rule selecting these customers, for ?segment=.') })),
    }),
  ),
});

export const changesListSchema = z.object({ workspace: z.string(), changes: z.array(changeSchema) });
export const changeAddedSchema = z.object({ workspace: z.string(), change: changeSchema, changes: z.array(changeSchema) });
export const changeRemovedSchema = z.object({ workspace: z.string(), removed: changeSchema, changes: z.array(changeSchema) });

export const whatIfAnswerSchema = z.object({ workspace: z.string(), importVersion: z.number().int(), segment: z.string().nullable(), whatIf: whatIfSchema });
