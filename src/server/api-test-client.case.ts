import { expect } from 'vitest';
import type { z } from 'zod';

/** An answer of the API: its status, headers and body (JSON parsed, else text). */
export interface Answer {
  status: number;
  headers: Headers;
  body: unknown;
  text: string;
}

/** A client of one running server: `get('/api/status')`, `send('POST', '/api/changes', {...})`. */
export function apiClient(base: string, headers: Record<string, string> = {}) {
  const call = async (method: string, path: string, init: { body?: string; headers?: Record<string, string> } = {}): Promise<Answer> => {
    const res = await fetch(new URL(path, base), { method, headers: { ...headers, ...(init.headers ?? {}) }, ...(init.body === undefined ? {} : { body: init.body }) });
    const text = await res.text();
    const type = res.headers.get('content-type') ?? '';
    const body: unknown = /json/.test(type) && text !== '' ? JSON.parse(text) : text;
    return { status: res.status, headers: res.headers, body, text };
  };
  return {
    call,
    get: (path: string, more: Record<string, string> = {}) => call('GET', path, { headers: more }),
    send: (method: string, path: string, body?: unknown, more: Record<string, string> = {}) =>
      call(method, path, { headers: { 'content-type': 'application/json', ...more }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) }),
  };
}

/** A 200 whose body the documented schema accepts; the body, typed. */
export function ok<S extends z.ZodType>(answer: Answer, schema: S, status = 200): z.output<S> {
  expect(answer.status, answer.text.slice(0, 500)).toBe(status);
  const parsed = schema.safeParse(answer.body);
  expect(parsed.success, parsed.success ? '' : JSON.stringify(parsed.error.issues.slice(0, 3))).toBe(true);
  return parsed.data as z.output<S>;
}

/** A problem+json answer with this status and code (and parameter, when given); never a stack trace. */
export function problem(answer: Answer, status: number, code: string, parameter?: string): { detail: string; hint: string; parameter?: string } {
  expect(answer.status, answer.text.slice(0, 500)).toBe(status);
  expect(answer.headers.get('content-type')).toBe('application/problem+json');
  const body = answer.body as { type: string; title: string; status: number; detail: string; code: string; hint: string; parameter?: string };
  expect(body).toMatchObject({ type: `urn:cxray:problem:${code}`, status, code });
  expect(typeof body.title).toBe('string');
  expect(body.hint.length, 'a hint says what to do').toBeGreaterThan(0);
  if (parameter !== undefined) expect(body.parameter).toBe(parameter);
  expect(answer.text).not.toMatch(/\n\s+at |\.ts:\d+/);
  return body;
}
