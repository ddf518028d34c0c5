import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { resultSchema } from '../analysis/result.js';
import { eraseReportSchema } from '../workspace/erase-report.js';
import { customerId, ERASE_CUSTOMERS, makeEraseWorkspace } from '../workspace/erase-workspace.case.js';
import { Workspace } from '../workspace/workspace.js';
import { changeAddedSchema, changeRemovedSchema, changesListSchema, customerDetailSchema, customerPageSchema, statusSchema } from './api-schemas.js';
import { addApiCustomer, API_CUSTOMERS, makeApiWorkspace } from './api-workspace.case.js';
import { apiClient, ok, problem, type Answer } from './api-test-client.case.js';
import { importJobSchema, type ImportJob } from './import-jobs.js';
import { startServer, type RunningServer } from './serve.js';

// Access (the token rule, read-only, --allow-writes), changes and imports
// through the API, spreadsheet formulas in CSV and the personal-data rules,
// on a hand-made company of 120 customers (api-workspace.case.ts).

let dir: string;
let ws: Workspace;
const servers: RunningServer[] = [];

async function serve(options: { host?: string; token?: string; allowWrites?: boolean } = {}): Promise<{ server: RunningServer; base: string }> {
  const server = await startServer(ws, { host: options.host ?? '127.0.0.1', port: 0, token: options.token, allowWrites: options.allowWrites });
  servers.push(server);
  // A server on every address is reached through loopback here.
  return { server, base: server.url.replace('0.0.0.0', '127.0.0.1') };
}

beforeAll(async () => {
  dir = makeApiWorkspace();
  ws = new Workspace(dir);
  await ws.import();
}, 60_000);

afterAll(async () => {
  for (const s of servers) await s.close();
});

describe('the token rule', () => {
  it('loopback without a token: open', async () => {
    const { base } = await serve();
    expect((await apiClient(base).get('/api/status')).status).toBe(200);
  });

  it('a token, once set, is needed for everything but health (on loopback too); a wrong one is a 401', async () => {
    const { base } = await serve({ token: 's3cret' });
    const anonymous = apiClient(base);
    for (const path of ['/api/status', '/api/customers', '/openapi.json', '/']) {
      const answer = await anonymous.get(path);
      problem(answer, 401, 'unauthorized');
      expect(answer.headers.get('www-authenticate')).toBe('Bearer realm="cxray"');
    }
    expect(ok(await anonymous.get('/api/health'), z.object({ ok: z.literal(true) })).ok).toBe(true);
    problem(await apiClient(base, { authorization: 'Bearer s3cret-not' }).get('/api/status'), 401, 'unauthorized');
    problem(await apiClient(base, { authorization: 's3cret' }).get('/api/status'), 401, 'unauthorized');
    ok(await apiClient(base, { authorization: 'Bearer s3cret' }).get('/api/status'), statusSchema);
  });

  it('any other address: refuses to start without a token; with one, requires it', async () => {
    await expect(startServer(ws, { host: '0.0.0.0', port: 0 })).rejects.toMatchObject({ code: 'token_required', hint: expect.stringContaining('CXRAY_TOKEN') });
    await expect(startServer(ws, { host: '0.0.0.0', port: 0, token: '' })).rejects.toMatchObject({ code: 'token_required' });
    const { base } = await serve({ host: '0.0.0.0', token: 't0ken' });
    problem(await apiClient(base).get('/api/versions'), 401, 'unauthorized');
    expect((await apiClient(base).get('/api/health')).status).toBe(200);
    expect((await apiClient(base, { authorization: 'Bearer t0ken' }).get('/api/versions')).status).toBe(200);
  });
});

describe('a workspace with nothing imported', () => {
  it('answers status and health, and 409 where an import is needed', async () => {
    const empty = new Workspace(mkdtempSync(join(tmpdir(), 'cxray-api-empty-')));
    copyFileSync(join(dir, 'cxray.yaml'), join(empty.paths.root, 'cxray.yaml'));
    const server = await startServer(empty, { host: '127.0.0.1', port: 0 });
    servers.push(server);
    const api = apiClient(server.url);
    expect(ok(await api.get('/api/status'), statusSchema)).toMatchObject({ configured: true, currentVersion: null, versions: 0 });
    for (const path of ['/api/customers', '/api/results/profile', '/api/analyses', '/api/segments']) expect(problem(await api.get(path), 409, 'no_import').hint).toContain('cxray import');
  });
});

describe('read-only by default', () => {
  it('refuses every write with a 403 that says how to allow them; reads still answer', async () => {
    const api = apiClient((await serve()).base);
    problem(await api.send('POST', '/api/changes', { name: 'x', date: '2025-01-01' }), 403, 'writes_disabled');
    problem(await api.send('DELETE', '/api/changes/x'), 403, 'writes_disabled');
    expect(problem(await api.send('POST', '/api/import', {}), 403, 'writes_disabled').hint).toContain('--allow-writes');
    expect(ok(await api.get('/api/changes'), changesListSchema).changes).toEqual([]);
  });
});

describe('with --allow-writes', () => {
  let api: ReturnType<typeof apiClient>;
  let server: RunningServer;
  beforeAll(async () => {
    ({ server } = await serve({ allowWrites: true }));
    api = apiClient(server.url);
  });

  it('records and removes changes; the changes Result follows them', async () => {
    const before = ok(await api.get('/api/results/changes'), resultSchema);
    const added = ok(await api.send('POST', '/api/changes', { name: 'Autopay push', date: '2025-06-01', segment: 'region = north', description: 'Mailing' }), changeAddedSchema, 201);
    expect(added.change).toMatchObject({ name: 'Autopay push', date: '2025-06-01', segment: "region = 'north'" });
    expect(ok(await api.get('/api/changes'), changesListSchema).changes.map((c) => c.name)).toEqual(['Autopay push']);
    const after = ok(await api.get('/api/results/changes'), resultSchema);
    expect(JSON.stringify(after)).toContain('Autopay push');
    expect(JSON.stringify(before)).not.toContain('Autopay push');
    // Customer 2 is in the north, customer 1 in the south.
    expect(ok(await api.get('/api/customers/2'), customerDetailSchema).changes.map((c) => c.name)).toEqual(['Autopay push']);
    expect(ok(await api.get('/api/customers/1'), customerDetailSchema).changes).toEqual([]);
    problem(await api.send('POST', '/api/changes', { name: 'autopay PUSH', date: '2025-07-01' }), 409, 'change_exists');
    const removed = ok(await api.send('DELETE', `/api/changes/${encodeURIComponent('Autopay push')}`), changeRemovedSchema);
    expect(removed).toMatchObject({ removed: { name: 'Autopay push' }, changes: [] });
    expect(problem(await api.send('DELETE', '/api/changes/Autopay%20push'), 404, 'change_missing').hint).toContain('changes add');
  });

  it('checks a change body field by field, and its media type and origin', async () => {
    problem(await api.call('POST', '/api/changes', { body: '{"name":"a","date":"2025-01-01"}' }), 415, 'unsupported_media_type');
    problem(await api.call('POST', '/api/changes', { body: 'name=a', headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 415, 'unsupported_media_type');
    problem(await api.call('POST', '/api/changes', { body: '{"name":', headers: { 'content-type': 'application/json' } }), 400, 'bad_json');
    problem(await api.send('POST', '/api/changes', { name: 'a' }), 400, 'bad_body', 'date');
    problem(await api.send('POST', '/api/changes', { name: 'a', date: '2025-01-01', colour: 'red' }), 400, 'unknown_field', 'colour');
    problem(await api.send('POST', '/api/changes', { name: 'a', date: '2025-01-01', before_months: 'six' }), 400, 'bad_body', 'before_months');
    problem(await api.send('POST', '/api/changes', { name: 'a', date: '2025-02-30' }), 400, 'bad_change');
    problem(await api.send('POST', '/api/changes', { name: 'a', date: '2025-01-01', segment: 'regoin = north' }), 400, 'segment_unknown_column', 'segment');
    problem(await api.send('POST', '/api/changes', { name: 'a', date: '2025-01-01' }, { origin: 'https://evil.example' }), 403, 'cross_origin');
    problem(await api.call('POST', '/api/changes', { body: JSON.stringify({ name: 'x'.repeat(70_000), date: '2025-01-01' }), headers: { 'content-type': 'application/json' } }), 413, 'body_too_large');
    expect(ok(await api.get('/api/changes'), changesListSchema).changes).toEqual([]);
  });

  it('imports in the background, one at a time, answering from the old version until the new one is in', async () => {
    const customers = async (): Promise<{ version: number; total: number }> => {
      const page = ok(await api.get('/api/customers?pageSize=1'), customerPageSchema);
      return { version: page.importVersion, total: page.total };
    };
    expect(await customers()).toEqual({ version: 1, total: API_CUSTOMERS });
    const profileBefore = ok(await api.get('/api/results/profile'), resultSchema);
    addApiCustomer(dir, API_CUSTOMERS + 1);
    const started = await api.send('POST', '/api/import');
    const job = ok(started, importJobSchema, 202);
    expect(job.status).toBe('running');
    expect(started.headers.get('location')).toBe(`${server.url}api/import/${job.id}`);
    expect(problem(await api.send('POST', '/api/import', {}), 409, 'import_running').hint).toContain(job.id);
    const seen = new Set<string>();
    let last: ImportJob = job;
    for (let i = 0; i < 600 && last.status === 'running'; i += 1) {
      // Every answer meanwhile is one version, whole: version 1 with its customers, or version 2 with one more.
      const now = await customers();
      seen.add(JSON.stringify(now));
      expect([JSON.stringify({ version: 1, total: API_CUSTOMERS }), JSON.stringify({ version: 2, total: API_CUSTOMERS + 1 })]).toContain(JSON.stringify(now));
      last = ok(await api.get(`/api/import/${job.id}`), importJobSchema);
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(last).toMatchObject({ status: 'done', error: null, result: { changed: true, version: 2 } });
    expect(last.finishedAt).not.toBeNull();
    expect(seen.has(JSON.stringify({ version: 1, total: API_CUSTOMERS }))).toBe(true);
    expect(await customers()).toEqual({ version: 2, total: API_CUSTOMERS + 1 });
    expect(ok(await api.get('/api/status'), statusSchema)).toMatchObject({ currentVersion: 2, server: { heldVersions: [2] } });
    const profileAfter = ok(await api.get('/api/results/profile'), resultSchema);
    expect([profileBefore.importVersion, profileAfter.importVersion]).toEqual([1, 2]);
    // Nothing changed since: a job that writes no version.
    const again = ok(await api.send('POST', '/api/import', {}), importJobSchema, 202);
    let settled: ImportJob = again;
    for (let i = 0; i < 600 && settled.status === 'running'; i += 1) {
      settled = ok(await api.get(`/api/import/${again.id}`), importJobSchema);
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(settled).toMatchObject({ status: 'done', result: { changed: false, version: 2 } });
    problem(await api.get('/api/import/no-such-job'), 404, 'unknown_job', 'job');
    problem(await api.send('POST', '/api/import', { force: true }), 400, 'unknown_field', 'force');
  });
});

describe('what leaves the server', () => {
  let api: ReturnType<typeof apiClient>;
  beforeAll(async () => {
    api = apiClient((await serve()).base);
  });

  it('CSV downloads neutralise cells that start like spreadsheet formulas', async () => {
    const profile = ok(await api.get('/api/results/profile'), resultSchema);
    const table = profile.tables.find((t) => JSON.stringify(t.rows).includes('HYPERLINK'));
    expect(table, 'a profile table lists the plans').toBeDefined();
    const csv: Answer = await api.get(`/api/tables/profile/${table?.name ?? ''}.csv`);
    expect(csv.status).toBe(200);
    expect(csv.text).toContain(`"'=HYPERLINK(""http://evil.example"")"`);
    for (const plan of ['-pro', '@home', '+plus']) expect(csv.text).toContain(`'${plan}`);
    for (const line of csv.text.split('\r\n')) for (const cell of line.split(',')) expect(cell, line).not.toMatch(/^"?[=+\-@\t\r]/);
  });

  it('personal data stays out: pii attributes hidden, hashed comments absent, e-mails and phone numbers in comments masked', async () => {
    const answer = await api.get('/api/customers/1');
    const detail = ok(answer, customerDetailSchema);
    expect(detail.facts.find((f) => f.name === 'email')).toMatchObject({ value: null, hidden: 'pii' });
    expect(detail.facts.find((f) => f.name === 'region')).toMatchObject({ value: 'south', hidden: null });
    const comments = detail.survey.answers.filter((a) => a.instrument === 'comment');
    expect(comments.map((c) => [c.comment, c.commentHidden])).toEqual([
      [null, 'hashed'],
      ['Call me on [phone] or write to [email]', null],
    ]);
    expect(answer.text).not.toMatch(/person1@example\.com|07700|Secret words|"h:[0-9a-f]{32}"/);
    const list = await api.get('/api/customers?pageSize=500');
    expect(list.text).not.toMatch(/@example\.com|"h:[0-9a-f]{32}"/);
  });

  it('a bug is a 500 that says only that; the details go to the server log', async () => {
    class Broken extends Workspace {
      override async status(): Promise<never> {
        throw new TypeError('boom in /secret/path/file.ts:12');
      }
    }
    const lines: string[] = [];
    const broken = await startServer(new Broken(dir), { host: '127.0.0.1', port: 0, log: (line) => lines.push(line) });
    servers.push(broken);
    const answer = await apiClient(broken.url).get('/api/status');
    expect(problem(answer, 500, 'internal_error').detail).toBe('The server failed to answer this request.');
    expect(answer.text).not.toContain('boom');
    expect(lines.join('\n')).toMatch(/GET \/api\/status failed: TypeError: boom in \/secret\/path\/file\.ts:12\n\s+at /);
  });
});

describe('erase through the API', () => {
  let eraseWs: Workspace;
  beforeAll(async () => {
    eraseWs = new Workspace(makeEraseWorkspace());
    await eraseWs.import();
  }, 60_000);

  it('POST /api/erase is a write: 403 on a read-only server', async () => {
    const server = await startServer(eraseWs, { host: '127.0.0.1', port: 0 });
    servers.push(server);
    expect(problem(await apiClient(server.url).send('POST', '/api/erase', { customers: [customerId(7)] }), 403, 'writes_disabled').hint).toContain('--allow-writes');
  });

  it('erases, forgets what the server held open or in memory, and answers with what went where and the proof', async () => {
    const server = await startServer(eraseWs, { host: '127.0.0.1', port: 0, allowWrites: true });
    servers.push(server);
    const api = apiClient(server.url);
    expect(ok(await api.get(`/api/customers/${customerId(7)}`), customerDetailSchema).facts.length).toBeGreaterThan(0);
    expect((await api.get('/api/results/profile')).headers.get('x-cxray-cache')).toBe('miss');
    expect((await api.get('/api/results/profile')).headers.get('x-cxray-cache')).toBe('hit');
    problem(await api.send('POST', '/api/erase', { customers: [] }), 400, 'bad_body', 'customers');
    problem(await api.send('POST', '/api/erase', { customers: ['x'], force: true }), 400, 'unknown_field', 'force');

    const report = ok(await api.send('POST', '/api/erase', { customers: [customerId(7)] }), eraseReportSchema);
    expect(report.customers).toEqual([{ id: customerId(7), found: true }]);
    expect(report.versions[0]?.rowsRemoved).toMatchObject({ customers: 1, transactions: 5 });
    expect(report.proof.clean).toBe(true);

    problem(await api.get(`/api/customers/${customerId(7)}`), 404, 'unknown_customer', 'id');
    expect(ok(await api.get('/api/customers?pageSize=1'), customerPageSchema).total).toBe(ERASE_CUSTOMERS - 1);
    const profile = await api.get('/api/results/profile');
    expect(profile.headers.get('x-cxray-cache'), 'the Results held in memory were dropped').toBe('miss');
    expect(profile.text).not.toContain(customerId(7));
  });
});
