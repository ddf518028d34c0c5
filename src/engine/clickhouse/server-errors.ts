/**
 * ClickHouse failures as cxray errors: cancelled, unreachable (the user's to
 * fix), or a failed statement carrying its SQL and the server's message.
 * 18.16 writes errors as "Code: 60, e.displayText() = ...", a form the client
 * does not parse, so the code is read from the message here.
 */
import { CxrayError, UserError } from '../../errors.js';
import { NativeFormatError } from './native-reader.js';

/** Error codes the engine tells apart (ClickHouse's src/Common/ErrorCodes.cpp). */
export const UNKNOWN_TABLE = 60;
export const QUERY_WAS_CANCELLED = 394;

export function serverErrorCode(error: unknown): number | undefined {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    const match = /Code: (\d+)/.exec(e.message);
    if (match !== null) return Number(match[1]);
  }
  return undefined;
}

export function cancelled(cause?: unknown): CxrayError {
  return new CxrayError('query_cancelled', 'The query was cancelled.', cause === undefined ? {} : { cause });
}

export function unreachable(url: string, error: unknown): UserError {
  const message = error instanceof Error ? error.message : String(error);
  return new UserError('clickhouse_unavailable', `The ClickHouse server at ${url} cannot be reached or refused the login: ${message}`, {
    hint: 'Start it (for the local test cluster: scripts/clickhouse-cluster.sh start) and check the URL, user and password.',
    cause: error,
  });
}

function isConnectionError(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && ['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENOTFOUND', 'ETIMEDOUT'].includes(code);
}

/** What a failed request becomes: cancelled when its signal fired (or the server says so), else unreachable or query_failed. */
export function toCxrayError(error: unknown, sql: string, signal: AbortSignal | undefined, url: string): CxrayError {
  if (error instanceof CxrayError) return error;
  if (signal?.aborted === true || serverErrorCode(error) === QUERY_WAS_CANCELLED) return cancelled(error);
  if (isConnectionError(error)) return unreachable(url, error);
  const message = error instanceof Error ? error.message : String(error);
  const what = error instanceof NativeFormatError ? `The result could not be read: ${message}` : message;
  return new CxrayError('query_failed', `${what}\n-- in SQL: ${sql.slice(0, 2000)}`, { cause: error });
}
