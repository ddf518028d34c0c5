import { z } from 'zod';
import { CxrayError, UserError } from '../errors.js';

/**
 * Errors as RFC 9457 problem details (`application/problem+json`): the
 * standard `type`, `title`, `status`, `detail`, and cxray's own `code` and
 * `hint` (what to do), with `parameter` naming the query parameter, path
 * segment or body field at fault. A problem never carries a stack trace.
 */
export const problemSchema = z
  .object({
    type: z.string().describe('urn:cxray:problem:<code>: the problem type, one per code.'),
    title: z.string(),
    status: z.number().int().min(400).max(599),
    detail: z.string().describe('What went wrong, in a sentence.'),
    code: z.string().describe('A stable code, as the CLI prints it (e.g. bad_parameter, segment_unknown_column).'),
    hint: z.string().describe('What to do about it.'),
    parameter: z.string().optional().describe('The query parameter, path segment or body field at fault.'),
  })
  .describe('A problem (RFC 9457) with cxray code and hint.');

export type Problem = z.infer<typeof problemSchema>;

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  408: 'Request timeout',
  409: 'Conflict',
  413: 'Payload too large',
  414: 'URI too long',
  415: 'Unsupported media type',
  421: 'Misdirected request',
  429: 'Too many requests',
  431: 'Request header fields too large',
  500: 'Internal error',
};

export function statusTitle(status: number): string {
  return TITLES[status] ?? (status >= 500 ? 'Server error' : 'Request error');
}

/** A problem a route throws on purpose: its status, code, detail and hint, and headers to send with it (Allow, WWW-Authenticate). */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    detail: string,
    readonly options: { hint?: string; parameter?: string; headers?: Record<string, string> } = {},
  ) {
    super(detail);
    this.name = 'HttpProblem';
  }
}

/**
 * UserError codes that describe the workspace rather than the request (so
 * not a 400): nothing imported, an import running, a config to fix, a thing
 * named in the path that does not exist, a name already taken.
 */
const USER_ERROR_STATUS: Record<string, number> = {
  no_import: 409,
  version_missing: 409,
  workspace_busy: 409,
  store_locked: 409,
  facts_missing: 409,
  config_missing: 409,
  config_invalid: 409,
  config_syntax: 409,
  config_unreadable: 409,
  changes_file_damaged: 409,
  change_exists: 409,
  unknown_analysis: 404,
  change_missing: 404,
};

/** The parameter a library UserError is about, by its code, when the route did not say. */
function parameterOfCode(code: string): string | undefined {
  if (code.startsWith('segment_')) return 'segment';
  if (code === 'bad_points') return 'points';
  if (code === 'unknown_behaviour') return 'behaviour';
  return undefined;
}

export interface ProblemReply {
  problem: Problem;
  headers: Record<string, string>;
  /** A bug, to be logged by the server (never sent). */
  bug: unknown;
}

export function problemBody(status: number, code: string, detail: string, hint: string, parameter?: string): Problem {
  return { type: `urn:cxray:problem:${code}`, title: statusTitle(status), status, detail, code, hint, ...(parameter === undefined ? {} : { parameter }) };
}

/**
 * Any error as a problem: an HttpProblem as thrown; a UserError as 400 (or
 * the status its code implies) with its message and hint; anything else as
 * a 500 that says only that the server failed, the error itself kept for
 * the server's log.
 */
export function problemOf(error: unknown): ProblemReply {
  if (error instanceof HttpProblem) {
    return { problem: problemBody(error.status, error.code, error.message, error.options.hint ?? '', error.options.parameter), headers: error.options.headers ?? {}, bug: null };
  }
  if (error instanceof UserError) {
    const status = USER_ERROR_STATUS[error.code] ?? 400;
    return { problem: problemBody(status, error.code, error.message, error.hint ?? '', parameterOfCode(error.code)), headers: {}, bug: null };
  }
  const code = error instanceof CxrayError ? error.code : 'internal_error';
  return {
    problem: problemBody(500, code === 'query_cancelled' ? 'query_cancelled' : 'internal_error', 'The server failed to answer this request.', 'This is a bug in cxray: the server log has the details; report it.'),
    headers: {},
    bug: error,
  };
}
