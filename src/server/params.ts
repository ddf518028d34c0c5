import { z } from 'zod';
import { SEGMENT_LIMITS, parseSegment } from '../analysis/segment/index.js';
import { nearest } from '../config/suggest.js';
import { UserError } from '../errors.js';
import { HttpProblem } from './problems.js';

/**
 * Query parameters, validated at the edge: every route declares a strict zod
 * object; a parameter it does not name, a repeated one, or a value that does
 * not fit is a 400 problem naming the parameter. An empty value
 * (`?segment=`) counts as absent, as an HTML form sends it.
 */

/** Hints for the parameters many routes share: what a good value looks like. */
const HINTS: Record<string, string> = {
  segment: "Write a segment rule over customer_facts columns, as `cxray analyze --segment` takes: segment = retail AND age >= 25; quote values with spaces ('paid search'). /api/segments lists the attributes and their values.",
  from: 'Write the first day of the period as YYYY-MM-DD, e.g. from=2025-01-01.',
  to: 'Write the last day of the period as YYYY-MM-DD, on or after from, e.g. to=2025-12-31.',
  page: 'Pages count from 1: page=1, page=2, ...',
  pageSize: 'Give a page size from 1 to 500 (default 50).',
  order: 'Give order=asc or order=desc.',
  q: 'Give part of a customer id, up to 100 characters.',
};

/** A whole number in a query string: digits only (no sign, exponent or spaces), within bounds. */
export function wholeNumberParam(min: number, max: number) {
  return z
    .string()
    .regex(/^\d{1,15}$/, { error: 'must be a whole number written in digits' })
    .transform(Number)
    .pipe(z.number().int().min(min, { error: `must be at least ${min}` }).max(max, { error: `must be at most ${max}` }));
}

/** A calendar day, YYYY-MM-DD. */
export const dayParam = z.iso.date({ error: 'must be a calendar date written YYYY-MM-DD' });

/** A segment rule, checked by the parser `cxray analyze --segment` uses (its columns are checked against the store when it runs). */
export const segmentParam = z
  .string()
  .max(SEGMENT_LIMITS.maxLength, { error: `must be at most ${SEGMENT_LIMITS.maxLength} characters` })
  .superRefine((rule, ctx) => {
    try {
      parseSegment(rule);
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      ctx.addIssue({ code: 'custom', message: error.message, params: { code: error.code, ...(error.hint === undefined ? {} : { hint: error.hint }) } });
    }
  })
  .describe('A segment rule over customer_facts columns (as `cxray analyze --segment`), e.g. `segment = retail AND age >= 25`.');

/** The filter every analysis takes: a segment and a period. */
export const filterShape = {
  segment: segmentParam.optional(),
  from: dayParam.optional().describe('First day of the period, inclusive (YYYY-MM-DD).'),
  to: dayParam.optional().describe('Last day of the period, inclusive (YYYY-MM-DD).'),
};

/** `to` on or after `from`, said about `to`. */
export function periodInOrder(value: { from?: string | undefined; to?: string | undefined }, ctx: z.RefinementCtx): void {
  if (value.from !== undefined && value.to !== undefined && value.to < value.from) {
    ctx.addIssue({ code: 'custom', path: ['to'], message: `the period ends (${value.to}) before it starts (${value.from})` });
  }
}

/** A route's query: a strict object of string-valued parameters. */
export type QuerySchema = z.ZodType<Record<string, unknown>, Record<string, string>>;

function firstIssueProblem(issue: z.core.$ZodIssue, known: readonly string[]): HttpProblem {
  if (issue.code === 'unrecognized_keys') {
    const name = issue.keys[0] ?? '';
    const near = nearest(name, known);
    const takes = known.length === 0 ? 'This endpoint takes no query parameters.' : `This endpoint takes: ${known.join(', ')}.`;
    return new HttpProblem(400, 'unknown_parameter', `Unknown query parameter ${JSON.stringify(name)}.`, { parameter: name, hint: near === undefined ? takes : `Did you mean ${near}? ${takes}` });
  }
  const parameter = String(issue.path[0] ?? '');
  const params = (issue as { params?: { code?: string; hint?: string } }).params;
  const message = issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : issue.message;
  return new HttpProblem(400, params?.code ?? 'bad_parameter', params?.code === undefined ? `The parameter ${parameter} ${message}.` : `The parameter ${parameter}: ${message}`, {
    parameter,
    hint: params?.hint ?? HINTS[parameter] ?? 'See /openapi.json for what this endpoint takes.',
  });
}

/** The names a strict object schema takes, for messages. */
export function parameterNames(schema: z.ZodType): string[] {
  const shape = (schema as unknown as { shape?: Record<string, unknown> }).shape ?? (schema as unknown as { def?: { in?: { shape?: Record<string, unknown> } } }).def?.in?.shape;
  return Object.keys(shape ?? {});
}

/**
 * The query string through a route's schema: unknown and repeated
 * parameters refused, empty values dropped, values checked.
 *
 * @example
 * const { page } = parseQuery(z.strictObject({ page: wholeNumberParam(1, 1000).default(1) }), url.searchParams);
 */
export function parseQuery<S extends z.ZodType>(schema: S, search: URLSearchParams): z.output<S> {
  const raw: Record<string, string> = {};
  const seen = new Map<string, number>();
  for (const [key, value] of search) {
    seen.set(key, (seen.get(key) ?? 0) + 1);
    if (value !== '') raw[key] = value;
  }
  for (const [key, count] of seen) {
    if (count > 1) throw new HttpProblem(400, 'repeated_parameter', `The query parameter ${key} is given ${count} times.`, { parameter: key, hint: 'Give each parameter once.' });
  }
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues.find((i) => i.code === 'unrecognized_keys') ?? parsed.error.issues[0];
  if (issue === undefined) throw new HttpProblem(400, 'bad_parameter', 'The query string is not valid.', { hint: 'See /openapi.json.' });
  throw firstIssueProblem(issue, parameterNames(schema));
}

/** A JSON body through a route's schema: the first issue as a 400 naming the field. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  if (issue?.code === 'unrecognized_keys') {
    const known = parameterNames(schema);
    throw new HttpProblem(400, 'unknown_field', `Unknown field ${JSON.stringify(issue.keys[0] ?? '')} in the request body.`, { parameter: issue.keys[0] ?? '', hint: `The body takes: ${known.join(', ')}.` });
  }
  const field = issue?.path.join('.') ?? '';
  const message = issue?.code === 'invalid_type' && issue.input === undefined ? 'is required' : (issue?.message ?? 'is not valid');
  throw new HttpProblem(400, 'bad_body', field === '' ? `The request body ${message}.` : `The body field ${field} ${message}.`, {
    ...(field === '' ? {} : { parameter: field }),
    hint: 'Send a JSON object as /openapi.json describes for this endpoint.',
  });
}
