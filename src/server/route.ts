import type { Readable } from 'node:stream';
import type { z } from 'zod';
import type { ApiContext } from './api-context.js';

/**
 * One endpoint of the API, as the router matches it and /openapi.json
 * documents it: the same object does both, so the document cannot drift
 * from what the server answers.
 */
export type Method = 'GET' | 'POST' | 'DELETE';

/**
 * `open`: no token ever (health); `read`: the token when one is set;
 * `write`: the token, and the server started with `--allow-writes`.
 */
export type Access = 'open' | 'read' | 'write';

/** A documented response: its status, what it means, and its body (a zod schema, a named component, or text of a media type). */
export interface ResponseDoc {
  status: number;
  description: string;
  /** `application/json` by default. */
  contentType?: string;
  /** The body: a zod schema, or `{ ref: name }` for a component (Result). */
  schema?: z.ZodType | { ref: string };
}

export interface RouteInput<Q, P, B> {
  query: Q;
  params: P;
  body: B;
  ctx: ApiContext;
  /** The request's origin as the client named it (`http://127.0.0.1:4173`), for Location headers. */
  origin: string;
}

export type Reply =
  | { kind: 'json'; status?: number; body: unknown; headers?: Record<string, string> }
  | { kind: 'text'; status?: number; contentType: string; body: string; headers?: Record<string, string> }
  | { kind: 'stream'; status?: number; contentType: string; stream: Readable; headers?: Record<string, string>; cleanup?: () => Promise<void> };

export interface RouteSpec<Q extends z.ZodType, P extends z.ZodType, B extends z.ZodType> {
  method: Method;
  /** OpenAPI style: `/api/results/{name}`, `/api/tables/{analysis}/{table}.csv`. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tag: string;
  access: Access;
  /** A strict object of the query parameters (all strings on the wire). */
  query: Q;
  /** A strict object of the path parameters. */
  params: P;
  /** The JSON body, for POST routes that take one. */
  body?: B;
  responses: ResponseDoc[];
  handle(input: RouteInput<z.output<Q>, z.output<P>, z.output<B>>): Promise<Reply>;
}

/** A route with its types erased, as the route table holds them. */
export type Route = RouteSpec<z.ZodType, z.ZodType, z.ZodType>;

/** Declares a route; its handler sees the parsed, typed query, path and body. */
export function defineRoute<Q extends z.ZodType, P extends z.ZodType, B extends z.ZodType = z.ZodUndefined>(spec: RouteSpec<Q, P, B>): Route {
  return spec as unknown as Route;
}

export function json(body: unknown, status = 200, headers?: Record<string, string>): Reply {
  return { kind: 'json', status, body, ...(headers === undefined ? {} : { headers }) };
}
