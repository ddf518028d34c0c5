import { appendFileSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resultSchema, type Result } from '../analysis/result.js';
import { initWorkspace } from '../init/index.js';
import { companyCostsYaml, simulateCompany } from '../simulate/index.js';
import { Workspace } from '../workspace/workspace.js';
import { apiClient, ok, problem } from './api-test-client.case.js';
import {
  analysesSchema,
  customerDetailSchema,
  customerPageSchema,
  healthSchema,
  resultSummariesSchema,
  segmentsSchema,
  statusSchema,
  versionsSchema,
  whatIfAnswerSchema,
} from './api-schemas.js';
import { tableCsv } from './csv.js';
import { startServer, type RunningServer } from './serve.js';

// The read-only API over a simulated company of 2,000 customers (seed 3),
// built once for the file: every read endpoint's answer against its
// documented schema and against the library, and its bad parameters.

let ws: Workspace;
let server: RunningServer;
let api: ReturnType<typeof apiClient>;
const logged: string[] = [];

/** A GET of a path as written (fetch and URL would resolve `//x` as a host). */
function rawPath(base: string, path: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolveGet, reject) => {
    const req = request({ hostname, port, path }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolveGet({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** A GET with headers fetch will not send (Host). */
function rawGet(base: string, path: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolveGet, reject) => {
    const req = request(new URL(path, base), { headers }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolveGet({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cxray-api-sim-'));
  const exportsDir = join(dir, 'exports');
  await simulateCompany({ customers: 2000, seed: 3, outDir: exportsDir });
  await initWorkspace({ dir, from: readdirSync(exportsDir).filter((f) => f.endsWith('.csv')).map((f) => join(exportsDir, f)), force: false });
  appendFileSync(join(dir, 'cxray.yaml'), companyCostsYaml());
  ws = new Workspace(dir);
  await ws.import();
  server = await startServer(ws, { host: '127.0.0.1', port: 0, log: (line) => logged.push(line) });
  api = apiClient(server.url);
}, 120_000);

afterAll(async () => {
  await server?.close();
});

describe('workspace endpoints', () => {
  it('health, status and versions answer as documented', async () => {
    expect(ok(await api.get('/api/health'), healthSchema)).toEqual({ ok: true });
    const status = ok(await api.get('/api/status'), statusSchema);
    expect(status).toMatchObject({ currentVersion: 1, versions: 1, tables: { customers: 2000 }, importRunning: null, server: { allowWrites: false } });
    const versions = ok(await api.get('/api/versions'), versionsSchema);
    expect(versions.current).toBe(1);
    expect(versions.versions.map((v) => v.version)).toEqual([1]);
    expect(versions.versions[0]?.totals.read).toBe((versions.versions[0]?.totals.loaded ?? 0) + (versions.versions[0]?.totals.quarantined ?? 0));
    const page = await api.get('/');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Row ledger');
  });

  it('lists the analyses with what they need and their status in this version', async () => {
    const before = ok(await api.get('/api/analyses'), analysesSchema);
    expect(before.analyses.map((a) => a.name)).toHaveLength(17);
    expect(before.analyses.every((a) => a.status === 'not_run')).toBe(true);
    expect(before.analyses.find((a) => a.name === 'profile')).toMatchObject({ title: 'Know the customer', needs: ['customers'], runnable: true, reason: null });
    expect(before.analyses.find((a) => a.name === 'ideal-profile')?.dependsOn).toContain('fit');
  });
});

describe('results', () => {
  let profile: Result;

  it('GET /api/results/{name} is the Result the library gives, then served from memory', async () => {
    const first = await api.get('/api/results/profile');
    profile = resultSchema.parse(ok(first, resultSchema));
    expect(first.headers.get('x-cxray-cache')).toBe('miss');
    const [library] = (await ws.analyze(['profile'])).results;
    expect(profile).toEqual(library);
    const again = await api.get('/api/results/profile');
    expect(again.headers.get('x-cxray-cache')).toBe('hit');
    expect(again.body).toEqual(first.body);
  });

  it('takes a segment and a period, recorded in the Result in normal form', async () => {
    const filtered = ok(await api.get(`/api/results/profile?segment=${encodeURIComponent('segment = smb')}&from=2025-01-01&to=2025-12-31`), resultSchema);
    expect(filtered.provenance.filter).toEqual({ segment: "segment = 'smb'", from: '2025-01-01', to: '2025-12-31' });
    const [library] = (await ws.analyze(['profile'], { segment: "segment = 'smb'", from: '2025-01-01', to: '2025-12-31' })).results;
    expect(filtered.summary).toEqual(library?.summary);
  });

  it('GET /api/results summarises every analysis with links that answer; /api/analyses then shows their status', async () => {
    const all = ok(await api.get('/api/results'), resultSummariesSchema);
    expect(all.results).toHaveLength(17);
    expect(all.results.filter((r) => r.status === 'failed')).toEqual([]);
    const fit = all.results.find((r) => r.name === 'fit');
    expect(fit?.href).toBe('/api/results/fit');
    const table = fit?.tables[0];
    expect(table?.csv).toBe(`/api/tables/fit/${table?.name ?? ''}.csv`);
    const csv = await api.get(table?.csv ?? '');
    expect(csv.status).toBe(200);
    const after = ok(await api.get('/api/analyses'), analysesSchema);
    expect(after.analyses.find((a) => a.name === 'fit')?.status).toBe('ok');
    expect(after.analyses.filter((a) => a.status === 'not_run')).toEqual([]);
  });

  it('any Result table downloads as CSV, exactly tableCsv of the Result', async () => {
    for (const t of profile.tables.slice(0, 3)) {
      const answer = await api.get(`/api/tables/profile/${encodeURIComponent(t.name)}.csv`);
      expect(answer.status).toBe(200);
      expect(answer.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(answer.headers.get('content-disposition')).toBe(`attachment; filename="profile-${t.name}.csv"`);
      expect(answer.text).toBe(tableCsv(t));
    }
  });

  it('404s name the nearest analysis or list the tables; bad filters are 400s naming the parameter', async () => {
    expect(problem(await api.get('/api/results/profil'), 404, 'unknown_analysis', 'name').hint).toMatch(/Did you mean profile\?/);
    expect(problem(await api.get('/api/tables/profile/nosuch.csv'), 404, 'unknown_table', 'table').hint).toContain(profile.tables[0]?.name ?? '?');
    problem(await api.get('/api/tables/nosuch/x.csv'), 404, 'unknown_analysis', 'analysis');
    problem(await api.get('/api/results/profile?from=2025-13-01'), 400, 'bad_parameter', 'from');
    problem(await api.get('/api/results/profile?from=2025-06-01&to=2025-01-01'), 400, 'bad_parameter', 'to');
    problem(await api.get('/api/results/profile?segment=segment%20%3D'), 400, 'segment_syntax', 'segment');
    expect(problem(await api.get(`/api/results/profile?segment=${encodeURIComponent('segmnt = smb')}`), 400, 'segment_unknown_column', 'segment').detail).toContain('segmnt');
    problem(await api.get(`/api/results/profile?segment=${encodeURIComponent("segment = 'martian'")}`), 400, 'segment_empty', 'segment');
    problem(await api.get('/api/results?limit=3'), 400, 'unknown_parameter', 'limit');
  });
});

describe('customers', () => {
  it('pages through every customer in a stable order, with the total', async () => {
    const first = ok(await api.get('/api/customers'), customerPageSchema);
    expect(first).toMatchObject({ importVersion: 1, segment: null, sort: 'id', order: 'asc', page: 1, pageSize: 50, total: 2000, pages: 40 });
    expect(first.customers).toHaveLength(50);
    const ids: string[] = [];
    for (let page = 1; page <= 7; page += 1) ids.push(...ok(await api.get(`/api/customers?pageSize=300&page=${page}`), customerPageSchema).customers.map((c) => c.id));
    expect(ids).toHaveLength(2000);
    expect(new Set(ids).size).toBe(2000);
    expect([...ids].sort()).toEqual(ids);
    expect(ids.slice(0, 50)).toEqual(first.customers.map((c) => c.id));
    const beyond = ok(await api.get('/api/customers?page=41'), customerPageSchema);
    expect(beyond).toMatchObject({ total: 2000, customers: [] });
    expect(ok(await api.get('/api/customers?pageSize=500&page=4'), customerPageSchema).customers).toHaveLength(500);
  });

  it('sorts by a score, unknown values last, ties by id; the scores are those export scores writes', async () => {
    const sorted: { id: string; fitScore: number | null }[] = [];
    for (let page = 1; page <= 4; page += 1) sorted.push(...ok(await api.get(`/api/customers?sort=fitScore&order=desc&pageSize=500&page=${page}`), customerPageSchema).customers);
    expect(new Set(sorted.map((c) => c.id)).size).toBe(2000);
    const known = sorted.filter((c) => c.fitScore !== null);
    expect(known.length).toBeGreaterThan(1500);
    expect(sorted.slice(known.length).every((c) => c.fitScore === null)).toBe(true);
    for (let i = 1; i < known.length; i += 1) {
      const [a, b] = [known[i - 1], known[i]] as [{ id: string; fitScore: number }, { id: string; fitScore: number }];
      // Sorted by the unrounded score: equal shown scores may come in either id order.
      expect(a.fitScore >= b.fitScore, `${a.id} before ${b.id}`).toBe(true);
    }
    const csv = await api.get('/api/export/scores?format=csv');
    expect(csv.status).toBe(200);
    const [header, ...lines] = csv.text.trim().split('\n');
    const columns = (header ?? '').split(',');
    const exported = new Map(lines.map((l) => l.split(',')).map((cells) => [cells[0] ?? '', Object.fromEntries(columns.map((c, i) => [c, cells[i] ?? '']))]));
    expect(exported.size).toBe(2000);
    const page = ok(await api.get('/api/customers?pageSize=200&sort=churnRisk&order=desc'), customerPageSchema);
    const near = (mine: number | null, theirs: string | undefined, digits: number): boolean => (mine === null ? theirs === '' : Math.abs(mine - Number(theirs)) <= 0.5 * 10 ** -digits + 1e-9);
    for (const c of page.customers) {
      const row = exported.get(c.id);
      expect(near(c.fitScore, row?.['fit_score'], 2) && near(c.lifetimeValue, row?.['lifetime_value'], 2) && near(c.pAlive, row?.['p_alive'], 4) && near(c.churnRisk, row?.['churn_risk'], 4), c.id).toBe(true);
      expect(c.segments['segment']).toBe(row?.['segment']);
    }
  });

  it('filters by a segment rule (the one /api/segments gives) and searches ids', async () => {
    const segments = ok(await api.get('/api/segments'), segmentsSchema);
    expect(segments.customers).toBe(2000);
    const age = segments.segments.find((s) => s.key === 'age_band');
    expect(age?.kind).toBe('bands');
    for (const s of segments.segments) expect(s.levels.reduce((sum, l) => sum + l.customers, 0), s.key).toBe(2000);
    const checked = [...(age?.levels ?? []), ...(segments.segments.find((s) => s.key === 'region')?.levels ?? [])];
    for (const level of checked) {
      const page = ok(await api.get(`/api/customers?pageSize=1&segment=${encodeURIComponent(level.rule)}`), customerPageSchema);
      expect(page.total, level.rule).toBe(level.customers);
    }
    const within = ok(await api.get(`/api/segments?segment=${encodeURIComponent("region = 'North'")}`), segmentsSchema);
    expect(within.customers).toBe(segments.segments.find((s) => s.key === 'region')?.levels.find((l) => l.value === 'North')?.customers);
    const search = ok(await api.get('/api/customers?q=0001&pageSize=500'), customerPageSchema);
    expect(search.total).toBeGreaterThan(0);
    expect(search.customers.every((c) => c.id.includes('0001'))).toBe(true);
    expect(ok(await api.get('/api/customers?q=no-such-id'), customerPageSchema)).toMatchObject({ total: 0, pages: 0, customers: [] });
  });

  it('binds segment values: SQL in a value selects nobody and breaks nothing', async () => {
    const hostile = ok(await api.get(`/api/customers?segment=${encodeURIComponent("segment = 'x''; DROP TABLE customer_facts; --'")}`), customerPageSchema);
    expect(hostile.total).toBe(0);
    const quoteInSearch = ok(await api.get(`/api/customers?q=${encodeURIComponent("' OR 1=1 --")}`), customerPageSchema);
    expect(quoteInSearch.total).toBe(0);
    expect(ok(await api.get('/api/customers?pageSize=1'), customerPageSchema).total).toBe(2000);
  });

  it('says which parameter is wrong', async () => {
    problem(await api.get('/api/customers?pageSize=501'), 400, 'bad_parameter', 'pageSize');
    problem(await api.get('/api/customers?pageSize=0'), 400, 'bad_parameter', 'pageSize');
    problem(await api.get('/api/customers?page=abc'), 400, 'bad_parameter', 'page');
    expect(problem(await api.get('/api/customers?sort=fit'), 400, 'bad_parameter', 'sort').detail).toContain('fitScore');
    problem(await api.get('/api/customers?order=up'), 400, 'bad_parameter', 'order');
    problem(await api.get(`/api/customers?q=${'x'.repeat(101)}`), 400, 'bad_parameter', 'q');
    problem(await api.get('/api/customers?page=1&page=2'), 400, 'repeated_parameter', 'page');
    expect(problem(await api.get('/api/customers?size=10'), 400, 'unknown_parameter', 'size').hint).toContain('pageSize');
    problem(await api.get(`/api/customers?segment=${encodeURIComponent('age >= old')}`), 400, 'segment_bad_value', 'segment');
  });

  it('one customer: facts, scores, the fit score taken apart, history, survey answers', async () => {
    const listed = ok(await api.get('/api/customers?sort=fitScore&order=desc&pageSize=1&page=100'), customerPageSchema).customers[0];
    const detail = ok(await api.get(`/api/customers/${encodeURIComponent(listed?.id ?? '')}`), customerDetailSchema);
    expect(detail.scores).toEqual(listed);
    expect(detail.fit.status).toBe('scored');
    if (detail.fit.status === 'scored') {
      expect(detail.fit.score).toBeCloseTo(listed?.fitScore ?? Number.NaN, 1);
      const sum = detail.fit.base + detail.fit.parts.reduce((s, p) => s + p.points, 0);
      expect(sum).toBeCloseTo(detail.fit.unclipped, 1);
      expect(detail.fit.sentence).toMatch(/^Fit score \d+\.\d = base/);
    }
    const fact = (name: string) => detail.facts.find((f) => f.name === name)?.value;
    expect(fact('customer_id')).toBe(listed?.id);
    const months = detail.history.map((m) => m.month);
    expect([...months].sort()).toEqual(months);
    expect(detail.history.reduce((s, m) => s + m.revenue, 0)).toBeCloseTo(Number(fact('revenue')), 2);
    expect(detail.history.reduce((s, m) => s + m.purchases, 0)).toBe(fact('purchase_count'));
    expect(detail.survey.total).toBe(detail.history.reduce((s, m) => s + m.surveyAnswers, 0));
    expect(detail.survey.shown).toBe(Math.min(detail.survey.total, 200));
    // The same customer with the id as a query parameter (the form for ids a path cannot carry, `.` and `..`).
    expect(ok(await api.get(`/api/customer?${new URLSearchParams({ id: listed?.id ?? '' }).toString()}`), customerDetailSchema)).toEqual(detail);
  });

  it('404s an unknown customer, whatever its id looks like', async () => {
    expect(problem(await api.get('/api/customers/no-such-customer'), 404, 'unknown_customer', 'id').hint).toContain('/api/customers?q=');
    problem(await api.get(`/api/customers/${encodeURIComponent("1' OR '1'='1")}`), 404, 'unknown_customer', 'id');
    problem(await api.get('/api/customers/a%2Fb'), 404, 'unknown_customer', 'id');
    problem(await api.get(`/api/customers/${'9'.repeat(300)}`), 400, 'bad_parameter', 'id');
    problem(await api.get('/api/customer?id=..'), 404, 'unknown_customer', 'id');
    // Another text of a stored id (leading zeros, an exponent, spaces) is not that customer: ids are matched as written.
    const listed = ok(await api.get('/api/customers?pageSize=1'), customerPageSchema).customers[0]?.id ?? '';
    ok(await api.get(`/api/customers/${encodeURIComponent(listed)}`), customerDetailSchema);
    for (const other of [`0${listed}`, ` ${listed}`, `${listed}.0`, `+${listed}`]) problem(await api.get(`/api/customer?${new URLSearchParams({ id: other }).toString()}`), 404, 'unknown_customer', 'id');
    problem(await api.get('/api/customer'), 400, 'bad_parameter', 'id');
  });
});

describe('scores endpoints kept from before', () => {
  it('what-if and export scores answer as the library does', async () => {
    const answer = ok(await api.get('/api/whatif?behaviour=autopay&points=10'), whatIfAnswerSchema);
    expect(answer.whatIf).toEqual((await ws.whatif({ behaviour: 'autopay', points: 10 })).whatIf);
    problem(await api.get('/api/whatif?behaviour=autopay&points=abc'), 400, 'bad_points', 'points');
    problem(await api.get('/api/whatif?behaviour=autopay&points=10&extra=1'), 400, 'unknown_parameter', 'extra');
    expect(problem(await api.get('/api/export/scores?format=xlsx'), 400, 'bad_argument', 'format').detail).toContain('use csv or parquet');
    const parquet = await fetch(new URL('/api/export/scores?format=parquet&segment=region%20%3D%20North', server.url));
    expect([parquet.status, parquet.headers.get('content-type')]).toEqual([200, 'application/vnd.apache.parquet']);
    expect(Buffer.from(await parquet.arrayBuffer()).subarray(0, 4).toString()).toBe('PAR1');
  });
});

describe('HTTP behaviour', () => {
  it('answers every documented route (write routes refuse on this read-only server)', async () => {
    const doc = (await api.get('/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
    const firstId = ok(await api.get('/api/customers?pageSize=1'), customerPageSchema).customers[0]?.id ?? '';
    const fill: Record<string, string> = { name: 'profile', analysis: 'profile', table: 'tenure', id: firstId, job: 'no-such-job' };
    const answered: string[] = [];
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const method of Object.keys(item)) {
        const url = path.replace(/\{([A-Za-z]+)\}/g, (_, name: string) => encodeURIComponent(fill[name] ?? 'x')) + (path === '/api/whatif' ? '?behaviour=autopay&points=5' : path === '/api/customer' ? `?id=${encodeURIComponent(firstId)}` : '');
        const answer = method === 'get' ? await api.get(url) : await api.send(method.toUpperCase(), url, method === 'post' ? {} : undefined);
        const label = `${method.toUpperCase()} ${path} -> ${answer.status} ${answer.text.slice(0, 200)}`;
        if (method !== 'get') problem(answer, 403, 'writes_disabled');
        else if (path === '/api/import/{job}') problem(answer, 404, 'unknown_job', 'job');
        else expect(answer.status, label).toBe(200);
        answered.push(`${method} ${path}`);
      }
    }
    expect(answered.length).toBeGreaterThanOrEqual(19);
  });

  it('405 with Allow, HEAD and OPTIONS, 404 for unknown paths; security headers and no CORS by default', async () => {
    const put = await api.call('PUT', '/api/status');
    problem(put, 405, 'method_not_allowed');
    expect(put.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
    const head = await api.call('HEAD', '/api/status');
    expect(head.status).toBe(200);
    expect(head.text).toBe('');
    const options = await api.call('OPTIONS', '/api/changes');
    expect(options.status).toBe(204);
    expect(options.headers.get('allow')).toBe('GET, HEAD, POST, OPTIONS');
    expect(options.headers.get('access-control-allow-origin')).toBeNull();
    problem(await api.get('/api/nothing'), 404, 'not_found');
    problem(await api.get('/api/status/'), 404, 'not_found');
    const cross = await api.get('/api/status', { origin: 'https://elsewhere.example' });
    expect(cross.status).toBe(200);
    expect(cross.headers.get('access-control-allow-origin')).toBeNull();
    for (const [name, value] of Object.entries({ 'x-content-type-options': 'nosniff', 'x-frame-options': 'DENY', 'referrer-policy': 'no-referrer', 'cache-control': 'no-store' })) expect(cross.headers.get(name)).toBe(value);
    const rebound = await rawGet(server.url, '/api/status', { host: 'attacker.example:4173' });
    expect(rebound.status).toBe(421);
    expect(JSON.parse(rebound.body)).toMatchObject({ code: 'host_not_loopback' });
    expect((await rawGet(server.url, '/api/health', { host: 'localhost:4173' })).status).toBe(200);
    problem(await api.get(`/api/customers?segment=${'a'.repeat(9000)}`), 414, 'uri_too_long');
    // A path starting with // is a path, never a host: 404s, not a 500 from the URL parser.
    for (const path of ['//', '//api/health', '//attacker.example/api/status']) {
      const raw = await rawPath(server.url, path);
      expect([path, raw.status, (JSON.parse(raw.body) as { code: string }).code]).toEqual([path, 404, 'not_found']);
    }
    expect(logged).toEqual([]);
  });
});
