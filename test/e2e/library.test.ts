import { cpSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../helpers/cli.js';

// cxray as a library, through the built package (dist/index.js, what
// `import 'cxray'` resolves to): init, import, analyse, write the report and
// serve the API, as a script would, on the telco-classic export.

const TELCO = join(import.meta.dirname, '..', 'fixtures', 'telco-classic', 'WA_Fn-UseC_-Telco-Customer-Churn.csv');

describe('the library (dist/index.js)', () => {
  it('inits, imports, analyses, writes the report and serves the API of a workspace', async () => {
    const entry = join(REPO, 'dist', 'index.js');
    expect(existsSync(entry), 'npm test builds dist/ first').toBe(true);
    const cxray = (await import(entry)) as typeof import('../../src/index.js');
    const dir = mkdtempSync(join(tmpdir(), 'cxray-library-'));
    cpSync(TELCO, join(dir, 'telco.csv'));
    await cxray.initWorkspace({ dir, from: [join(dir, 'telco.csv')] });
    const ws = await cxray.openWorkspace(dir);
    const { ledger } = await ws.import();
    expect(ledger.totals).toMatchObject({ read: 7043, quarantined: 0 });
    const { results } = await ws.analyze(['profile']);
    const profile = results.find((r) => r.name === 'profile');
    expect(cxray.resultSchema.parse(profile).status).toBe('ok');
    const report = await cxray.writeReport(ws, { out: join(dir, 'report.html') });
    expect(readFileSync(report.out, 'utf8')).toContain('7,043');
    const server = await cxray.startServer(ws, { host: '127.0.0.1', port: 0, log: () => undefined });
    try {
      const health = await fetch(new URL('/api/health', server.url));
      expect(health.status).toBe(200);
      const customers = (await (await fetch(new URL('/api/customers?pageSize=5', server.url))).json()) as { total: number };
      expect(customers.total).toBe(7043);
    } finally {
      await server.close();
    }
  }, 120_000);
});
