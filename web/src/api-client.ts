import type { Analyses, CustomerDetail, CustomerPage, Problem, Result, Segments, WhatIfAnswer } from './api-types.js';
import { filterParams, type Filter } from './filter.js';

/** A failed call, as the API's problem+json says it (detail and hint), or as the browser saw it. */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly hint: string,
    readonly parameter?: string,
  ) {
    super(detail);
    this.name = 'ApiProblem';
  }
}

/** What a page of customers is asked for (`GET /api/customers`). */
export interface CustomerQuery {
  segment?: string | undefined;
  q?: string | undefined;
  page: number;
  pageSize: number;
  sort: CustomerPage['sort'];
  order: 'asc' | 'desc';
}

function isProblem(body: unknown): body is Problem {
  return typeof body === 'object' && body !== null && typeof (body as Problem).detail === 'string' && typeof (body as Problem).code === 'string';
}

function withQuery(path: string, search: URLSearchParams): string {
  const text = search.toString();
  return text === '' ? path : `${path}?${text}`;
}

/**
 * The typed client of the cxray API, for the dashboard. Results, segments
 * and the analysis list are kept for the session (a Result does not change
 * within an import version; reload the page after an import); failed calls
 * are not kept. With a token (`cxray serve` with CXRAY_TOKEN), every call
 * sends it as a bearer token.
 *
 * @example
 * const client = new ApiClient(() => null);
 * const profile = await client.result('profile', { segment: 'segment = retail' });
 */
export class ApiClient {
  private readonly kept = new Map<string, Promise<unknown>>();

  constructor(private readonly token: () => string | null) {}

  /** The headers of every call: the bearer token when there is one. */
  headers(): Record<string, string> {
    const token = this.token();
    return token === null ? {} : { authorization: `Bearer ${token}` };
  }

  async get<T>(path: string): Promise<T> {
    let response: Response;
    try {
      response = await fetch(path, { headers: { accept: 'application/json', ...this.headers() } });
    } catch (error) {
      throw new ApiProblem(0, 'network', `The server did not answer (${error instanceof Error ? error.message : String(error)}).`, 'Check that `cxray serve` is still running, then reload the page.');
    }
    const text = await response.text();
    let body: unknown = null;
    try {
      body = text === '' ? null : JSON.parse(text);
    } catch {
      body = null;
    }
    if (!response.ok) {
      if (isProblem(body)) throw new ApiProblem(response.status, body.code, body.detail, body.hint, body.parameter);
      throw new ApiProblem(response.status, 'http_error', `The server answered ${response.status} ${response.statusText} to ${path}.`, 'Reload the page; if it persists, the server log says why.');
    }
    if (body === null) throw new ApiProblem(response.status, 'not_json', `The server's answer to ${path} is not JSON.`, 'Reload the page; if it persists, the server log says why.');
    return body as T;
  }

  private keep<T>(path: string): Promise<T> {
    const known = this.kept.get(path);
    if (known !== undefined) return known as Promise<T>;
    const call = this.get<T>(path);
    this.kept.set(path, call);
    call.catch(() => this.kept.delete(path));
    return call;
  }

  result(name: string, filter: Filter): Promise<Result> {
    return this.keep(withQuery(`/api/results/${encodeURIComponent(name)}`, filterParams(filter)));
  }

  analyses(): Promise<Analyses> {
    return this.keep('/api/analyses');
  }

  segments(): Promise<Segments> {
    return this.keep('/api/segments');
  }

  customers(query: CustomerQuery): Promise<CustomerPage> {
    const search = new URLSearchParams({ page: String(query.page), pageSize: String(query.pageSize), sort: query.sort, order: query.order });
    if (query.segment !== undefined) search.set('segment', query.segment);
    if (query.q !== undefined && query.q !== '') search.set('q', query.q);
    return this.get(withQuery('/api/customers', search));
  }

  customer(id: string): Promise<CustomerDetail> {
    return this.get(`/api/customers/${encodeURIComponent(id)}`);
  }

  whatIf(behaviour: string, points: number, segment: string | undefined): Promise<WhatIfAnswer> {
    const search = new URLSearchParams({ behaviour, points: String(points) });
    if (segment !== undefined) search.set('segment', segment);
    return this.get(withQuery('/api/whatif', search));
  }

  /** Where a Result table downloads as CSV for this filter (text cells that start like a formula are neutralised by the server). */
  tableCsvUrl(analysis: string, table: string, filter: Filter): string {
    return withQuery(`/api/tables/${encodeURIComponent(analysis)}/${encodeURIComponent(table)}.csv`, filterParams(filter));
  }

  /** A CSV fetched with the token (a plain link cannot send one), as a file to save. */
  async download(url: string): Promise<Blob> {
    const response = await fetch(url, { headers: this.headers() });
    if (!response.ok) {
      const body: unknown = await response.json().catch(() => null);
      if (isProblem(body)) throw new ApiProblem(response.status, body.code, body.detail, body.hint, body.parameter);
      throw new ApiProblem(response.status, 'http_error', `The server answered ${response.status} to ${url}.`, 'Reload the page and try again.');
    }
    return response.blob();
  }
}
