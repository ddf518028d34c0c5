import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeWorkspace } from '../../test/helpers/tiny-company.js';
import { DuckDbEngine } from '../engine/duckdb/engine.js';
import { CANONICAL_TABLE_NAMES } from '../model/tables.js';
import { writeReports } from '../report/index.js';
import { EraseLeftoversError, eraseCustomers, eraseReportOf } from './erase.js';
import { removeReports } from './erase-files.js';
import type { Needle } from './erase-match.js';
import { piiHash, readPiiSalt } from './erase-needles.js';
import { searchBytes } from './erase-proof-files.js';
import { customerNeedles, proveErased } from './erase-proof.js';
import type { EraseReport } from './erase-report.js';
import { addEraseCustomer, customerId, ERASE_CUSTOMERS, makeEraseWorkspace, MENTIONING } from './erase-workspace.case.js';
import { versionStoreFile, workspacePaths } from './paths.js';
import { Workspace } from './workspace.js';

// cxray erase on a small company (erase-workspace.case.ts) with two import
// versions, stored Results and snapshots of both, reports inside the
// workspace and quarantined records of the erased customers: C-1007 (who
// referred C-1020, paid by e-mail, had a payment quarantined) and C-1013
// (referred by C-1030, a survey answer quarantined).

const ERASED = [customerId(7), customerId(13)];
const TABLES = [...CANONICAL_TABLE_NAMES, 'customer_facts', '_quarantine', '_identity'];

/** Rows and a checksum of every table, the erased customers' rows left out, read from one version file. */
async function survivors(file: string, needles: readonly Needle[]): Promise<Record<string, { rows: number; md5: string }>> {
  const engine = await DuckDbEngine.open(file, { readOnly: true });
  const ids = needles.filter((n) => n.as !== 'identity key').map((n) => n.value);
  const raw = needles.map((n) => n.value);
  try {
    const out: Record<string, { rows: number; md5: string }> = {};
    for (const table of TABLES) {
      if (!(await engine.hasTable(table))) continue;
      const columns = (await engine.describe(table)).map((c) => c.name);
      const keep = [
        ...columns.filter((c) => ['customer_id', 'referrer_id', 'referred_id'].includes(c)).map((c) => `NOT list_contains($ids, ${c})`),
        ...(table === '_quarantine' ? ['NOT list_has_any(string_split(raw, \',\'), $raw)'] : []),
        ...(table === '_identity' ? ['NOT list_contains($raw, value)'] : []),
      ];
      // customer_facts.referred_by of C-1020 is cleared by the erase, and customer 40's comment loses its mentions of them:
      // left out of the checksum, checked on their own.
      const select = table === 'customer_facts' ? 'SELECT * EXCLUDE (referred_by)' : table === 'survey_responses' ? 'SELECT * EXCLUDE (comment)' : 'SELECT *';
      const rows = await engine.query<{ n: bigint; md5: string | null }>(
        `SELECT count(*) AS n, md5(COALESCE(string_agg(CAST(x AS VARCHAR), '|' ORDER BY CAST(x AS VARCHAR)), '')) AS md5 FROM (${select} FROM ${table} WHERE ${keep.length === 0 ? 'TRUE' : keep.join(' AND ')}) x`,
        { ids, raw },
      );
      out[table] = { rows: Number(rows[0]?.n ?? 0n), md5: rows[0]?.md5 ?? '' };
    }
    return out;
  } finally {
    await engine.close();
  }
}

async function scalar(file: string, sql: string): Promise<unknown> {
  const engine = await DuckDbEngine.open(file, { readOnly: true });
  try {
    return Object.values((await engine.query(sql))[0] ?? {})[0];
  } finally {
    await engine.close();
  }
}

describe('eraseCustomers on an embedded store', () => {
  let dir: string;
  let ws: Workspace;
  let needles: Needle[];
  let before: Record<number, Record<string, { rows: number; md5: string }>>;
  let report: EraseReport;
  let deleteOnlyCopy: string;
  let proofBefore: Awaited<ReturnType<typeof proveErased>>;

  beforeAll(async () => {
    dir = makeEraseWorkspace();
    ws = new Workspace(dir);
    await ws.import();
    await ws.analyze([]);
    addEraseCustomer(dir, ERASE_CUSTOMERS + 1);
    await ws.import();
    await ws.analyze([]);
    await writeReports(ws, [join(dir, 'report.html'), join(dir, 'reports', 'report.md')]);
    needles = await customerNeedles(ws, ERASED);
    before = { 1: await survivors(versionStoreFile(ws.paths, 1), needles), 2: await survivors(versionStoreFile(ws.paths, 2), needles) };
    deleteOnlyCopy = join(dir, '..', `${dir.split('/').at(-1) ?? 'x'}-delete-only.duckdb`);
    copyFileSync(versionStoreFile(ws.paths, 1), deleteOnlyCopy);
    proofBefore = await proveErased(ws, needles);
    report = await eraseCustomers(ws, ERASED);
  }, 180_000);

  it('before the erase, the proof finds them in tables, quarantine lists, stored Results and the raw bytes', () => {
    expect(proofBefore.clean).toBe(false);
    const places = new Set(proofBefore.findings.map((f) => f.place === 'table' ? `table ${f.table}` : f.place === 'bytes' ? 'bytes' : `file ${f.file?.split('/')[0]}`));
    for (const p of ['table customers', 'table transactions', 'table referrals', 'table customer_facts', 'table _quarantine', 'table _identity', 'bytes', 'file quarantine']) expect(places, p).toContain(p);
    // The payment quarantined for C-1007 names only its hashed e-mail: found through the identity map.
    expect(proofBefore.findings).toContainEqual(expect.objectContaining({ table: '_quarantine', customer: customerId(7), as: 'identity key' }));
  });

  it('removes their rows from every table of both versions, rewrites each file, and the proof finds nothing', () => {
    expect(report.customers).toEqual(ERASED.map((id) => ({ id, found: true })));
    expect(report.versions.map((v) => v.version)).toEqual([1, 2]);
    for (const v of report.versions) {
      expect(v).toMatchObject({ engine: 'duckdb', rewritten: true, mutations: 0 });
      // C-1007 paid 5 times and C-1013 twice; two identity keys each (id, e-mail); both quarantined records.
      expect(v.rowsRemoved).toEqual({ customers: 2, customer_facts: 2, transactions: 7, survey_responses: 4, referrals: 2, status_changes: 2, _identity: 4, _quarantine: 2 });
      expect(v.referencesCleared).toEqual({ 'customer_facts.referred_by': 1 });
      expect(v.textRedacted).toEqual({ 'survey_responses.comment': 1 });
    }
    expect(report.proof).toMatchObject({ clean: true, findings: [], shortIds: [] });
    expect(report.proof.searched).toMatchObject({ versions: 2, storeFiles: 2 });
    expect(report.proof.searched.columns).toBeGreaterThan(50);
    expect(report.proof.notSearched.map((n) => n.file).sort()).toEqual(['churn.csv', 'customers.csv', 'payments.csv', 'referrals.csv', 'survey.csv']);
  });

  it('leaves every other row as it was: counts and checksums, table by table, version by version', async () => {
    for (const version of [1, 2]) {
      const file = versionStoreFile(ws.paths, version);
      const after = await survivors(file, needles);
      expect(after, `version ${version}`).toEqual(before[version]);
      expect(await scalar(file, 'SELECT count(*) FROM customers')).toBe(BigInt(ERASED_LEFT(version)));
    }
    // Customer 40's comment named both (one in lower case, one twice with a comma between): each mention goes, the rest stays.
    for (const version of [1, 2]) {
      expect(await scalar(versionStoreFile(ws.paths, version), `SELECT comment FROM survey_responses WHERE response_id = 'r${MENTIONING}' AND comment IS NOT NULL`)).toBe('Same trouble as [erased] and [erased],[erased]');
    }
    // C-1020 was referred by C-1007: the row stays, the name goes.
    expect(await scalar(versionStoreFile(ws.paths, 2), `SELECT referred_by FROM customer_facts WHERE customer_id = '${customerId(20)}'`)).toBeNull();
    expect(await scalar(versionStoreFile(ws.paths, 2), `SELECT referred_by FROM customer_facts WHERE customer_id = '${customerId(13)}'`)).toBeUndefined();
    const ledgers = await ws.versions();
    expect(ledgers.map((l) => l.tables['customers'])).toEqual([ERASED_LEFT(1), ERASED_LEFT(2)]);
  });

  it('deletes the stored Results and snapshots of both versions and the reports made from them; the quarantine lists lose their records only', () => {
    expect(report.results).toEqual(['results/v000001', 'results/v000002']);
    expect(readdirSync(ws.paths.results)).toEqual([]);
    expect(report.snapshots).toHaveLength(4);
    expect(readdirSync(ws.paths.snapshots)).toEqual([]);
    expect(report.reports).toEqual(expect.arrayContaining(['report.html', 'reports/report.md']));
    expect(existsSync(join(dir, 'report.html'))).toBe(false);
    expect(readdirSync(ws.paths.reports)).toEqual([]);
    expect(report.quarantine).toEqual([
      { file: 'quarantine/billing.csv', rowsRemoved: 1 },
      { file: 'quarantine/survey.csv', rowsRemoved: 1 },
    ]);
    const billing = readFileSync(join(ws.paths.quarantine, 'billing.csv'), 'utf8');
    expect(billing).toContain('ch_2_bad');
    expect(billing).not.toContain('ch_7_bad');
    expect(readFileSync(join(ws.paths.quarantine, 'survey.csv'), 'utf8').trim().split('\n')).toHaveLength(1);
    expect(report.notes.join(' ')).toMatch(/source exports still hold the customers/);
  });

  it('a DELETE without the rewrite would leave them in freed blocks: the byte search finds them there', async () => {
    const engine = await DuckDbEngine.open(deleteOnlyCopy);
    try {
      for (const table of ['customers', 'customer_facts', 'transactions', 'survey_responses', 'status_changes', '_identity']) await engine.exec(`DELETE FROM ${table} WHERE list_contains($ids, customer_id)`, { ids: ERASED });
      await engine.exec('DELETE FROM referrals WHERE list_contains($ids, referrer_id) OR list_contains($ids, referred_id)', { ids: ERASED });
      await engine.exec("UPDATE customer_facts SET referred_by = NULL WHERE referred_by = 'C-1007'");
      await engine.exec('DELETE FROM _quarantine');
      await engine.exec('CHECKPOINT');
      expect(Number((await engine.query<{ n: bigint }>("SELECT count(*) AS n FROM customers WHERE customer_id IN ('C-1007', 'C-1013')"))[0]?.n)).toBe(0);
    } finally {
      await engine.close();
    }
    const hits = await searchBytes(deleteOnlyCopy, needles);
    expect(hits.length, 'the deleted rows are still in the file').toBeGreaterThan(0);
    expect(await searchBytes(versionStoreFile(ws.paths, 1), needles)).toEqual([]);
    rmSync(deleteOnlyCopy, { force: true });
  });

  it('the next analyze recomputes without them and writes a fresh snapshot', async () => {
    const { results } = await ws.analyze(['profile']);
    expect(results[0]?.status).toBe('ok');
    expect(JSON.stringify(results)).not.toMatch(/C-1007|C-1013/);
    expect(readdirSync(ws.paths.snapshots).filter((n) => n.endsWith('.json'))).toHaveLength(1);
    expect((await proveErased(ws, needles)).clean).toBe(true);
  });

  it('is safe to repeat: nothing more to remove, the ids reported as not found, the proof still clean', async () => {
    const again = await eraseCustomers(ws, ERASED);
    expect(again.customers).toEqual(ERASED.map((id) => ({ id, found: false })));
    expect(again.versions.map((v) => v.rowsRemoved)).toEqual([{}, {}]);
    expect(again.results, 'the Results computed since are left alone').toEqual([]);
    expect(again.proof.clean).toBe(true);
    expect(again.notes[0]).toMatch(/No stored row held C-1007, C-1013/);
  });

  it('an erase stopped after the rewrite leaves the versions to clean in store/erase-pending.json; the next erase deletes their Results', async () => {
    const pending = join(ws.paths.store, 'erase-pending.json');
    writeFileSync(pending, JSON.stringify({ versions: [2] }));
    const again = await eraseCustomers(ws, ERASED);
    expect(again.results).toEqual(['results/v000002']);
    expect(existsSync(pending)).toBe(false);
  });

  it('a file of yours that names a customer fails the erase (exit 1), saying where; cxray\'s copies are erased all the same', async () => {
    writeFileSync(join(dir, 'notes.txt'), `call back\nC-1007 asked to be forgotten\n`);
    const error = await eraseCustomers(ws, [customerId(7)]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EraseLeftoversError);
    expect(error).toMatchObject({ code: 'erase_leftovers', file: 'notes.txt' });
    expect(eraseReportOf(error)?.proof.findings).toEqual([{ place: 'file', customer: customerId(7), as: 'id', file: 'notes.txt', where: 'line 2', owned: false }]);
    rmSync(join(dir, 'notes.txt'));
  });

  it('refuses while another process holds the import lock', async () => {
    const child = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      writeFileSync(ws.paths.importLock, JSON.stringify({ pid: child.pid, purpose: 'an import', since: new Date().toISOString() }));
      await expect(eraseCustomers(ws, ERASED)).rejects.toMatchObject({ code: 'workspace_busy' });
    } finally {
      rmSync(ws.paths.importLock, { force: true });
      child.kill();
    }
  });

  it('refuses while another process holds a version file open (a server, a script), with the fix', async () => {
    const holder = spawn(
      process.execPath,
      ['--input-type=module', '-e', `import { DuckDBInstance } from '@duckdb/node-api'; await DuckDBInstance.create(${JSON.stringify(versionStoreFile(ws.paths, 2))}, { access_mode: 'READ_ONLY' }); console.log('ready'); setTimeout(() => {}, 30000);`],
      { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      await new Promise<void>((resolve, reject) => {
        holder.stdout.on('data', (chunk: Buffer) => (chunk.toString().includes('ready') ? resolve() : undefined));
        holder.on('exit', (code) => reject(new Error(`the holder exited (${code})`)));
      });
      await expect(eraseCustomers(ws, ERASED)).rejects.toMatchObject({ code: 'store_locked', hint: expect.stringContaining('cxray serve') });
      expect(existsSync(ws.paths.importLock), 'the lock is released').toBe(false);
    } finally {
      holder.kill();
    }
  });

  it('re-importing: unchanged files write no version (they stay erased); the next changed export brings them back, since the exports are yours', async () => {
    expect((await ws.import()).changed).toBe(false);
    addEraseCustomer(dir, ERASE_CUSTOMERS + 2);
    const next = await ws.import();
    expect(next.version).toBe(3);
    expect(await scalar(versionStoreFile(ws.paths, 3), "SELECT count(*) FROM customers WHERE customer_id IN ('C-1007', 'C-1013')")).toBe(2n);
  });
});

/** Customers left in a version: version 1 had 60, version 2 one more; two erased. */
function ERASED_LEFT(version: number): number {
  return ERASE_CUSTOMERS + (version - 1) - ERASED.length;
}

describe('eraseCustomers with short numeric ids (the tiny company)', () => {
  it('erases customer 2 (whose quarantined payment carries only a hashed e-mail) and 4 (only ever quarantined), nothing else, and proves it', async () => {
    const dir = makeWorkspace();
    const ws = new Workspace(dir);
    await ws.import();
    const salt = await readPiiSalt(ws.paths, 'CXRAY_PII_SALT');
    expect(salt).not.toBeNull();
    const file = versionStoreFile(ws.paths, 1);
    // The import's hash and erase's agree (the identity map holds Ann's hashed e-mail).
    expect(await scalar(file, `SELECT count(*) FROM _identity WHERE value = '${piiHash(salt ?? '', 'Ann@Example.com')}'`)).toBe(1n);
    const quarantinedBefore = Number(await scalar(file, 'SELECT count(*) FROM _quarantine'));
    const report = await eraseCustomers(ws, ['2', '4']);
    expect(report.customers).toEqual([
      { id: '2', found: true },
      { id: '4', found: true },
    ]);
    expect(report.versions[0]?.rowsRemoved).toMatchObject({ customers: 1, _quarantine: 2 });
    expect(report.proof).toMatchObject({ clean: true, shortIds: ['2', '4'] });
    expect(await scalar(file, "SELECT string_agg(customer_id, ',' ORDER BY customer_id) FROM customers")).toBe('1,3');
    expect(Number(await scalar(file, 'SELECT count(*) FROM _quarantine'))).toBe(quarantinedBefore - 2);
    expect(await scalar(file, "SELECT count(*) FROM transactions WHERE customer_id = '1'")).toBe(3n);
  }, 60_000);
});

describe('which reports an erase deletes', () => {
  it('those made from an erased version (with their charts), and under reports/ whatever cannot say its version; the rest stays', async () => {
    const paths = workspacePaths(mkdtempSync(join(tmpdir(), 'cxray-erase-reports-')));
    const lead = (v: number): string => `# Report\n\nAs of 2025-12-31: 60 customers, all time, from import version ${v}.\n`;
    mkdirSync(join(paths.reports, 'new-charts'), { recursive: true });
    mkdirSync(join(paths.reports, 'old-charts'), { recursive: true });
    writeFileSync(join(paths.reports, 'old.md'), lead(1));
    writeFileSync(join(paths.reports, 'old-charts', 'chart-01.svg'), '<svg/>');
    writeFileSync(join(paths.reports, 'new.md'), lead(3));
    writeFileSync(join(paths.reports, 'new-charts', 'chart-01.svg'), '<svg/>');
    writeFileSync(join(paths.reports, 'board.pdf'), '%PDF-1.7 binary');
    writeFileSync(join(paths.root, 'acme.html'), `<p>${lead(1)}</p>`);
    writeFileSync(join(paths.root, 'later.html'), `<p>${lead(3)}</p>`);
    writeFileSync(join(paths.root, 'README.md'), 'Our notes.\n');
    const removed = await removeReports(paths, [1, 2], new Set());
    expect(removed.sort()).toEqual(['acme.html', 'reports/board.pdf', 'reports/old-charts/chart-01.svg', 'reports/old.md']);
    expect(readdirSync(paths.reports).sort()).toEqual(['new-charts', 'new.md']);
    expect(existsSync(join(paths.root, 'later.html')) && existsSync(join(paths.root, 'README.md'))).toBe(true);
  });
});
