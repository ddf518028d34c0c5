import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cxray, cxrayBackground } from '../helpers/cli.js';

const TELCO = join(import.meta.dirname, '..', 'fixtures', 'telco-classic', 'WA_Fn-UseC_-Telco-Customer-Churn.csv');

function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `cxray-${prefix}-`));
}

describe('the CLI contract', () => {
  it('--help on every command explains it with examples, exit 0, on stdout', () => {
    const top = cxray(['--help']);
    expect(top.code).toBe(0);
    expect(top.stdout).toContain('Exit codes');
    for (const command of ['init', 'import', 'status', 'versions', 'rollback', 'simulate', 'demo', 'serve']) {
      const run = cxray([command, '--help']);
      expect(run.code, command).toBe(0);
      expect(run.stdout, command).toContain('Examples:');
    }
  });

  it('a bad flag is a user error (exit 1), as JSON on stdout with --json', () => {
    const text = cxray(['import', '--no-such-flag']);
    expect(text.code).toBe(1);
    expect(text.stdout).toBe('');
    expect(text.stderr).toContain('no-such-flag');
    const json = cxray(['import', '--no-such-flag', '--json']);
    expect(json.code).toBe(1);
    const parsed = JSON.parse(json.stdout) as { error: { code: string; message: string; hint: string } };
    expect(parsed.error.code).toBe('usage');
    expect(parsed.error.hint.length).toBeGreaterThan(0);
  });

  it('a missing config is exit 1 with a hint and no stack trace; --json prints one error document', () => {
    const dir = tempDir('empty');
    const text = cxray(['import', '--workspace', dir]);
    expect(text.code).toBe(1);
    expect(text.stderr).toMatch(/cxray init/);
    expect(text.stderr).not.toMatch(/\n\s+at /);
    const json = cxray(['import', '--workspace', dir, '--json']);
    expect(json.code).toBe(1);
    const doc = JSON.parse(json.stdout) as { error: { code: string; file: string } };
    expect(doc.error.code).toBe('config_missing');
    expect(doc.error.file).toContain('cxray.yaml');
  });

  it('init refuses to overwrite cxray.yaml without --force, and DIR must agree with --workspace', () => {
    const dir = tempDir('init');
    cpSync(TELCO, join(dir, 'telco.csv'));
    expect(cxray(['init', dir, '--from', join(dir, 'telco.csv')]).code).toBe(0);
    const again = cxray(['init', dir, '--from', join(dir, 'telco.csv'), '--json']);
    expect(again.code).toBe(1);
    expect((JSON.parse(again.stdout) as { error: { code: string } }).error.code).toBe('config_exists');
    expect(cxray(['init', dir, '--force', '--from', join(dir, 'telco.csv')]).code).toBe(0);
    const clash = cxray(['init', dir, '--workspace', tempDir('other'), '--from', join(dir, 'telco.csv')]);
    expect(clash.code).toBe(1);
  });

  it('telco-classic: init + import loads 7,043 customers, counts the 11 blank TotalCharges as coerced, prints the ledger', () => {
    const dir = tempDir('telco');
    cpSync(TELCO, join(dir, 'telco.csv'));
    expect(cxray(['init', '--workspace', dir, '--from', join(dir, 'telco.csv')]).code).toBe(0);
    const text = cxray(['import', '--workspace', dir]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('7,043 rows read');
    const json = cxray(['import', '--workspace', dir, '--json']);
    const doc = JSON.parse(json.stdout) as { changed: boolean; ledger: { tables: Record<string, number> } };
    expect(doc.changed).toBe(false);
    expect(doc.ledger.tables['customers']).toBe(7043);
    const versions = JSON.parse(cxray(['versions', '--workspace', dir, '--json']).stdout) as {
      versions: { files: { coerced: { column: string; reason: string; count: number }[]; quarantined: number }[] }[];
    };
    const file = versions.versions[0]?.files[0];
    expect(file?.quarantined).toBe(0);
    const blanks = file?.coerced.filter((c) => c.reason === 'blank_to_null' && /total/i.test(c.column));
    expect(blanks).toEqual([expect.objectContaining({ count: 11 })]);
    const status = JSON.parse(cxray(['status', '--workspace', dir, '--json']).stdout) as { currentVersion: number; tables: Record<string, number> };
    expect(status.currentVersion).toBe(1);
    expect(status.tables['status_changes']).toBe(1869);
  });

  it('import --dry-run prints the ledger and changes nothing; rollback names unknown versions', () => {
    const dir = tempDir('dry');
    cpSync(TELCO, join(dir, 'telco.csv'));
    cxray(['init', '--workspace', dir, '--from', join(dir, 'telco.csv')]);
    const dry = cxray(['import', '--dry-run', '--workspace', dir, '--json']);
    expect(dry.code).toBe(0);
    expect((JSON.parse(dry.stdout) as { ledger: { totals: { read: number } } }).ledger.totals.read).toBe(7043);
    expect(existsSync(join(dir, 'store', 'current.json'))).toBe(false);
    const rollback = cxray(['rollback', '7', '--workspace', dir]);
    expect(rollback.code).toBe(1);
    expect(rollback.stderr).toContain('Version 7');
  });

  it('a wrongly delimited file is exit 1 naming the file and the fix; the store is untouched', () => {
    const dir = tempDir('delim');
    cpSync(TELCO, join(dir, 'telco.csv'));
    cxray(['init', '--workspace', dir, '--from', join(dir, 'telco.csv')]);
    expect(cxray(['import', '--workspace', dir]).code).toBe(0);
    writeFileSync(join(dir, 'telco.csv'), readFileSync(join(dir, 'telco.csv'), 'utf8').replaceAll(',', ';'));
    const run = cxray(['import', '--workspace', dir, '--json']);
    expect(run.code).toBe(1);
    const error = (JSON.parse(run.stdout) as { error: { code: string; file: string; hint: string } }).error;
    expect(error.file).toBe('telco.csv');
    expect(error.hint).toContain('delimiter');
    expect(JSON.parse(readFileSync(join(dir, 'store', 'current.json'), 'utf8'))).toMatchObject({ version: 1 });
  });

  it('serve prints its URL, answers, and exits 0 on SIGINT', async () => {
    const dir = tempDir('serve');
    const server = cxrayBackground(['serve', '--workspace', dir, '--port', '0', '--json']);
    try {
      const [line] = await server.waitFor(/\{.*"url".*\}\n/);
      const { url } = JSON.parse(line) as { url: string };
      const health = await fetch(new URL('/api/health', url));
      expect(health.status).toBe(200);
      // The dashboard at / (npm test builds it first), the status page at /status.
      expect(await (await fetch(url)).text()).toContain('<title>cxray dashboard</title>');
      expect(await (await fetch(new URL('/status', url))).text()).toContain('Nothing imported yet');
      server.child.kill('SIGINT');
      expect(await server.exited).toBe(0);
    } finally {
      // A failed check must not leave the server running after the test.
      if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
    }
  });

  it('serve refuses a non-loopback address without a token (exit 1)', () => {
    const run = cxray(['serve', '--host', '0.0.0.0', '--port', '0'], { env: { CXRAY_TOKEN: '' } });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('CXRAY_TOKEN');
  });
});

describe('cxray demo', () => {
  it('simulates, inits, imports, serves, prints its URL, and exits 0 on SIGINT; a second run reuses the workspace', async () => {
    const dir = join(tempDir('demo'), 'northwind');
    const demo = cxrayBackground(['demo', '--workspace', dir, '--customers', '2000', '--seed', '5', '--port', '0', '--json']);
    try {
      const [line] = await demo.waitFor(/\{.*"url".*\}\n/, 240_000);
      const { url } = JSON.parse(line) as { url: string };
      const status = (await (await fetch(new URL('/api/status', url))).json()) as { currentVersion: number; tables: Record<string, number> };
      expect(status.currentVersion).toBe(1);
      expect(status.tables['customers']).toBe(2000);
      expect(await (await fetch(url)).text()).toContain('<title>cxray dashboard</title>');
      expect(await (await fetch(new URL('/status', url))).text()).toContain('Row ledger');
      demo.child.kill('SIGINT');
      expect(await demo.exited).toBe(0);
    } finally {
      if (demo.child.exitCode === null && demo.child.signalCode === null) demo.child.kill('SIGKILL');
    }
    expect(existsSync(join(dir, 'exports', 'truth.json'))).toBe(true);

    const again = cxray(['demo', '--workspace', dir, '--no-serve', '--json']);
    expect(again.code, again.stderr).toBe(0);
    const second = JSON.parse(again.stdout) as { import: { changed: boolean; version: number }; analyses: { ok: string[]; failed: string[] }; report: string };
    // It ends with the written report: one self-contained page with its charts.
    expect(second.report).toBe(join(dir, 'report.html'));
    expect(readFileSync(second.report, 'utf8')).toMatch(/<svg[^>]*>[\s\S]*<\/svg>/);
    expect(second.import).toMatchObject({ changed: false, version: 1 });
    // The simulated company's network upgrade is recorded once, as its owner would, and measured; its A/B test declared.
    const stored = JSON.parse(readFileSync(join(dir, 'store', 'changes.json'), 'utf8')) as { changes: { name: string; segment: string }[] };
    expect(stored.changes).toMatchObject([{ name: 'North network upgrade', segment: "region = 'North'" }]);
    expect(readFileSync(join(dir, 'cxray.yaml'), 'utf8')).toMatch(/^experiments:\n {2}proactive_retention_outreach: \{label: "Proactive retention outreach", attribute: experiment_group,/m);
    expect([second.analyses.ok, second.analyses.failed]).toEqual([expect.arrayContaining(['changes', 'comments', 'scorecard']), []]);
  });
});
