import { z } from 'zod';
import type { ApiContext } from '../api-context.js';
import { customerDetailSchema, customerPageSchema, segmentsSchema } from '../api-schemas.js';
import { customerDetail } from '../customer-detail.js';
import { CUSTOMER_SORTS, listCustomers } from '../customer-list.js';
import { baseContext, customerScores } from '../customer-scores.js';
import { segmentParam, wholeNumberParam } from '../params.js';
import { HttpProblem } from '../problems.js';
import { defineRoute, json, type Reply } from '../route.js';
import { segmentValues } from '../segment-values.js';

const none = z.strictObject({});

/** Largest page of customers. */
export const MAX_PAGE_SIZE = 500;
export const DEFAULT_PAGE_SIZE = 50;

const listQuery = z.strictObject({
  segment: segmentParam.optional(),
  page: wholeNumberParam(1, 1_000_000).default(1).describe('The page, from 1.'),
  pageSize: wholeNumberParam(1, MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE).describe(`Customers per page, 1 to ${MAX_PAGE_SIZE} (default ${DEFAULT_PAGE_SIZE}).`),
  sort: z.enum(CUSTOMER_SORTS, { error: `must be one of ${CUSTOMER_SORTS.join(', ')}` }).default('id').describe('What to sort by; ties and unknown values (last) in id order.'),
  order: z.enum(['asc', 'desc'], { error: 'must be asc or desc' }).default('asc'),
  q: z.string().max(100, { error: 'must be at most 100 characters' }).optional().describe('Part of a customer id (case aside).'),
});

export const customersRoute = defineRoute({
  method: 'GET',
  path: '/api/customers',
  operationId: 'listCustomers',
  summary: 'A page of customers (a segment, an id search): id, segments, net value, fit score, Perfect Customer Index, lifetime value, P(alive), churn risk.',
  description: 'Scores are those of `cxray export scores` (the whole base\'s models), worked out once per import version and config. The order is stable: the sort key, unknown values last, then the id.',
  tag: 'customers',
  access: 'read',
  query: listQuery,
  params: none,
  responses: [{ status: 200, description: 'One page and the total.', schema: customerPageSchema }],
  handle: async ({ ctx, query }) =>
    ctx.stores.use(async (held) => {
      const scores = await customerScores(ctx, held);
      // One answer per version, cxray.yaml and request: the dashboard asks for the same pages again and again.
      const { hash } = await ctx.workspace.config();
      const page = await held.recall(`customers:${hash}:${JSON.stringify(query)}`, () => listCustomers(held, scores, query));
      return json({
        workspace: ctx.workspace.paths.root,
        importVersion: held.version,
        segment: page.segment,
        q: query.q ?? null,
        sort: query.sort,
        order: query.order,
        page: query.page,
        pageSize: query.pageSize,
        total: page.total,
        pages: Math.ceil(page.total / query.pageSize),
        columns: scores.scores.map((c) => ({ name: c.name, description: c.description })),
        notes: scores.notes,
        customers: page.customers,
      });
    }),
});

const customerId = z.string().min(1).max(256, { error: 'must be at most 256 characters' }).describe('The customer id, as in the customers export.');

/** What both customer lookups answer. */
const customerResponses = [
  { status: 200, description: 'The customer.', schema: customerDetailSchema },
  { status: 404, description: 'No customer has this id in the current import.' },
];

/** One customer's page, or a 404 naming the id. */
const customerAnswer = async (ctx: ApiContext, id: string): Promise<Reply> =>
  ctx.stores.use(async (held) => {
    const detail = await customerDetail(ctx, held, id);
    if (detail === null) {
      throw new HttpProblem(404, 'unknown_customer', `No customer has the id ${JSON.stringify(id)} in import version ${held.version}.`, { parameter: 'id', hint: 'Find ids with GET /api/customers?q=PART.' });
    }
    return json({ workspace: ctx.workspace.paths.root, importVersion: held.version, asOf: held.ledger.asOf, ...detail });
  });

export const customerRoute = defineRoute({
  method: 'GET',
  path: '/api/customers/{id}',
  operationId: 'getCustomer',
  summary: "One customer: their facts, scores, fit score taken apart (why this number), history by month, survey answers and comments, and the changes that touched them.",
  description: 'Attributes read from columns cxray.yaml lists under `pii` are not shown; comments have e-mail addresses and phone numbers masked, and are absent where the import hashed them. An id of `.` or `..` cannot travel in a path (URLs drop such segments): ask GET /api/customer?id= instead.',
  tag: 'customers',
  access: 'read',
  query: none,
  params: z.strictObject({ id: customerId }),
  responses: customerResponses,
  handle: async ({ ctx, params }) => customerAnswer(ctx, params.id),
});

export const customerByQueryRoute = defineRoute({
  method: 'GET',
  path: '/api/customer',
  operationId: 'getCustomerById',
  summary: 'One customer, the id given as a query parameter (any id, `.` and `..` included): the same answer as GET /api/customers/{id}.',
  tag: 'customers',
  access: 'read',
  query: z.strictObject({ id: customerId }),
  params: none,
  responses: customerResponses,
  handle: async ({ ctx, query }) => customerAnswer(ctx, query.id),
});

export const segmentsRoute = defineRoute({
  method: 'GET',
  path: '/api/segments',
  operationId: 'listSegments',
  summary: 'The segments of cxray.yaml with their values, customer counts and the rule that selects each (for ?segment=).',
  tag: 'customers',
  access: 'read',
  query: z.strictObject({ segment: segmentParam.optional() }),
  params: none,
  responses: [{ status: 200, description: 'Segments and their values.', schema: segmentsSchema }],
  handle: async ({ ctx, query }) =>
    ctx.stores.use(async (held) => {
      const base = await baseContext(ctx, held);
      const { hash } = await ctx.workspace.config();
      const answer = await held.recall(`segments:${hash}:${JSON.stringify(query.segment ?? null)}`, () => segmentValues(held.engine, base, query.segment));
      return json({ workspace: ctx.workspace.paths.root, importVersion: held.version, ...answer });
    }),
});
