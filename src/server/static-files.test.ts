import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Workspace } from '../workspace/workspace.js';
import { apiClient } from './api-test-client.case.js';
import { makeApiWorkspace } from './api-workspace.case.js';
import { startServer, type RunningServer } from './serve.js';
import { readStaticFile, safeSegments } from './static-files.js';

let root: string;
let web: string;
const servers: RunningServer[] = [];

/** A GET of a raw path, as written (fetch would normalise `..`). */
function rawGet(base: string, path: string): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolveGet, reject) => {
    const url = new URL(base);
    const req = request({ host: url.hostname, port: url.port, path, method: 'GET' }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolveGet({ status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? ''), body }));
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'cxray-static-'));
  web = join(root, 'web');
  mkdirSync(join(web, 'assets'), { recursive: true });
  writeFileSync(join(web, 'index.html'), '<!doctype html><title>dashboard</title>');
  writeFileSync(join(web, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(web, '.env'), 'hidden');
  writeFileSync(join(root, 'secret.txt'), 'TOP-SECRET-CONTENT');
  symlinkSync(join(root, 'secret.txt'), join(web, 'assets', 'link.txt'));
});

afterAll(async () => {
  for (const s of servers) await s.close();
  rmSync(root, { recursive: true, force: true });
});

describe('static files of the dashboard', () => {
  it('reads files inside the folder by URL path, / as index.html, with their content type', async () => {
    expect((await readStaticFile(web, '/'))?.contentType).toBe('text/html; charset=utf-8');
    const js = await readStaticFile(web, '/assets/app.js');
    expect(js?.contentType).toBe('text/javascript; charset=utf-8');
    expect(js?.body.toString()).toBe('console.log(1)');
    expect(await readStaticFile(web, '/assets/missing.js')).toBeNull();
    expect(await readStaticFile(web, '/assets')).toBeNull();
  });

  it('never reads outside the folder: dot segments, encoded or not, backslashes, NULs, dot files, symbolic links out', async () => {
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/assets/%2E%2E/%2E%2E/secret.txt', '/..\\secret.txt', '/assets/app.js%00.html', '/.env', '/assets/link.txt', '//etc/passwd', '/%zz']) {
      expect(await readStaticFile(web, path), path).toBeNull();
    }
    expect(safeSegments('/a/./b')).toBeNull();
    expect(safeSegments('/assets/app.js')).toEqual(['assets', 'app.js']);
  });

  it('a server with a built dashboard serves it at / (no token needed for its files) and keeps every endpoint, /status and the 404 problem', async () => {
    const ws = new Workspace(makeApiWorkspace());
    const server = await startServer(ws, { host: '127.0.0.1', port: 0, dashboard: web, token: 's3cret' });
    servers.push(server);
    const home = await rawGet(server.url, '/');
    expect(home).toMatchObject({ status: 200, type: 'text/html; charset=utf-8', body: '<!doctype html><title>dashboard</title>' });
    const asset = await fetch(new URL('/assets/app.js', server.url));
    expect(asset.headers.get('content-security-policy')).toBe("default-src 'self'; style-src 'self' 'unsafe-inline'");
    expect(asset.headers.get('x-content-type-options')).toBe('nosniff');
    for (const path of ['/../secret.txt', '/assets/..%2f..%2fsecret.txt', '/assets/link.txt', '/.env']) {
      const answer = await rawGet(server.url, path);
      expect(answer.status, path).toBe(404);
      expect(answer.body).not.toContain('TOP-SECRET-CONTENT');
      expect(answer.type).toBe('application/problem+json');
    }
    const authorised = apiClient(server.url, { authorization: 'Bearer s3cret' });
    expect((await apiClient(server.url).get('/api/status')).status).toBe(401);
    expect((await apiClient(server.url).get('/status')).status).toBe(401);
    expect((await authorised.get('/api/status')).status).toBe(200);
    expect((await authorised.get('/status')).text).toContain('cxray workspace');
  });

  it('a server whose dashboard is not built shows the status page at / with how to build it; without a dashboard, the status page as before', async () => {
    const ws = new Workspace(makeApiWorkspace());
    const missing = await startServer(ws, { host: '127.0.0.1', port: 0, dashboard: join(root, 'not-built') });
    const plain = await startServer(ws, { host: '127.0.0.1', port: 0 });
    servers.push(missing, plain);
    const page = await apiClient(missing.url).get('/');
    expect(page.status).toBe(200);
    expect(page.text).toContain('npm run build:web');
    expect((await apiClient(plain.url).get('/')).text).not.toContain('npm run build:web');
    expect((await apiClient(plain.url).get('/assets/app.js')).status).toBe(404);
  });
});
