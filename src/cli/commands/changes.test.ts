import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { handCustomers, makeChangesWorkspace } from '../../analysis/changes/hand-made.case.js';
import { changesFileSchema } from '../../workspace/changes-store.js';
import { Workspace } from '../../workspace/workspace.js';
import { cxrayInProcess, type Run } from '../run-in-process.case.js';

// `cxray changes add | list | rm`, run in-process through main() as the
// binary runs it (argv in, exit code and stdout out), on a small hand-made
// workspace with an import (rules checked against its columns) and on one
// without (rules checked for syntax only).

const cxray = cxrayInProcess;

const json = <T>(run: Run): T => JSON.parse(run.stdout) as T;

describe('cxray changes', () => {
  let dir: string;
  beforeAll(async () => {
    dir = makeChangesWorkspace(handCustomers(3, 80));
    await new Workspace(dir).import();
  }, 120_000);
  afterEach(() => vi.restoreAllMocks());

  it('add records a change in store/changes.json, its rule in normal form, and says what to run next', async () => {
    const run = await cxray('changes', 'add', '--workspace', dir, '--name', 'North network upgrade', '--date', '2025-10-01', '--segment', 'REGION = North', '--description', 'new masts');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe(`Recorded "North network upgrade" (2025-10-01, region = 'North' against the rest of the customers; 6 months before, 6 after).\nRun \`cxray analyze changes\` to measure it.\n`);
    const stored = changesFileSchema.parse(JSON.parse(readFileSync(join(dir, 'store', 'changes.json'), 'utf8')));
    expect(stored.changes).toHaveLength(1);
    expect(stored.changes[0]).toMatchObject({ name: 'North network upgrade', date: '2025-10-01', segment: "region = 'North'", description: 'new masts' });
    expect(stored.changes[0]?.added_at).toMatch(/^\d{4}-\d\d-\d\dT/);
    const second = await cxray('changes', 'add', '--workspace', dir, '--name', 'South pilot', '--date', '2025-06-01', '--segment', 'region = South', '--compare', 'region IN (East, West)', '--before-months', '4', '--after-months', '3', '--json');
    expect(second.code, second.stdout).toBe(0);
    const doc = json<{ workspace: string; change: Record<string, unknown>; changes: unknown[] }>(second);
    expect(doc.change).toMatchObject({ name: 'South pilot', compare: "region IN ('East', 'West')", before_months: 4, after_months: 3 });
    expect(doc.changes).toHaveLength(2);
  });

  it('list shows the changes as a table, or as one JSON document', async () => {
    const text = await cxray('changes', 'list', '--workspace', dir);
    expect(text.code).toBe(0);
    expect(text.stdout.split('\n')[0]).toMatch(/^name\s+date\s+segment\s+compared with\s+before\s+after\s+description$/);
    expect(text.stdout).toContain("North network upgrade  2025-10-01  region = 'North'");
    const doc = json<{ changes: { name: string }[] }>(await cxray('changes', 'list', '--workspace', dir, '--json'));
    expect(doc.changes.map((c) => c.name)).toEqual(['North network upgrade', 'South pilot']);
  });

  it('refuses a duplicate name, a bad date, a bad rule and bad months, each with the fix (exit 1)', async () => {
    const error = async (...args: string[]): Promise<{ code: string; message: string; hint: string }> => {
      const run = await cxray('changes', 'add', '--workspace', dir, '--json', ...args);
      expect(run.code, run.stdout).toBe(1);
      return json<{ error: { code: string; message: string; hint: string } }>(run).error;
    };
    const duplicate = await error('--name', ' north NETWORK upgrade ', '--date', '2025-10-01');
    expect(duplicate.code).toBe('change_exists');
    expect(duplicate.hint).toContain('cxray changes rm "North network upgrade"');
    const date = await error('--name', 'X', '--date', '2025-02-30');
    expect([date.code, date.hint]).toEqual(['bad_change', 'Give --date as the first day the change was in effect, written YYYY-MM-DD (e.g. 2025-10-01).']);
    const syntax = await error('--name', 'X', '--date', '2025-02-01', '--segment', 'region =');
    expect(syntax.message).toMatch(/^--segment: /);
    const column = await error('--name', 'X', '--date', '2025-02-01', '--segment', 'regoin = North');
    expect([column.code, column.hint]).toEqual(['segment_unknown_column', 'Did you mean region?']);
    const compareAlone = await error('--name', 'X', '--date', '2025-02-01', '--compare', 'region = South');
    expect(compareAlone.hint).toContain('Give --segment RULE');
    const monthsRun = await cxray('changes', 'add', '--workspace', dir, '--name', 'X', '--date', '2025-02-01', '--before-months', 'six');
    expect(monthsRun.code).toBe(1);
    expect(monthsRun.stderr).toContain('--before-months "six" is not a number of months from 1 to 60');
    const missing = await cxray('changes', 'add', '--workspace', dir, '--date', '2025-02-01');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("required option '--name <name>' not specified");
    expect(json<{ changes: unknown[] }>(await cxray('changes', 'list', '--workspace', dir, '--json')).changes).toHaveLength(2);
  });

  it('rm removes a change by name (case aside); an unknown name names the nearest', async () => {
    const unknown = await cxray('changes', 'rm', 'South pilott', '--workspace', dir, '--json');
    expect(unknown.code).toBe(1);
    expect(json<{ error: { code: string; hint: string } }>(unknown).error).toEqual(expect.objectContaining({ code: 'change_missing', hint: 'Did you mean "South pilot"?' }));
    const run = await cxray('changes', 'rm', 'SOUTH PILOT', '--workspace', dir);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe(`Removed "South pilot" (2025-06-01, region = 'South' against region IN ('East', 'West'); 4 months before, 3 after); 1 change left.\n`);
    expect(json<{ changes: { name: string }[] }>(await cxray('changes', 'list', '--workspace', dir, '--json')).changes.map((c) => c.name)).toEqual(['North network upgrade']);
  });

  it('analyze changes measures what was recorded; recording another recomputes it', async () => {
    const first = json<{ results: { name: string; summary: string[] }[] }>(await cxray('analyze', 'changes', '--workspace', dir, '--json'));
    expect(first.results[0]?.summary[0]).toMatch(/^North network upgrade \(2025-10-01, region = 'North'\): /);
    expect(existsSync(join(dir, 'results', 'v000001', 'changes.json'))).toBe(true);
    expect((await cxray('changes', 'add', '--workspace', dir, '--name', 'Everyone', '--date', '2025-08-01')).code).toBe(0);
    expect(existsSync(join(dir, 'results', 'v000001', 'changes.json'))).toBe(false);
    const second = json<{ results: { name: string; summary: string[] }[] }>(await cxray('analyze', 'changes', '--workspace', dir, '--json'));
    expect(second.results[0]?.summary.some((s) => s.startsWith('Everyone (2025-08-01, all customers): '))).toBe(true);
  });

  it('without an import, checks a rule\'s syntax only; without cxray.yaml, refuses', async () => {
    const fresh = makeChangesWorkspace(handCustomers(4, 20));
    const run = await cxray('changes', 'add', '--workspace', fresh, '--name', 'Later', '--date', '2025-10-01', '--segment', 'anything = x', '--json');
    expect(run.code, run.stdout).toBe(0);
    expect(json<{ change: { segment: string } }>(run).change.segment).toBe('anything = x');
    const empty = mkdtempSync(join(tmpdir(), 'cxray-changes-empty-'));
    const refused = await cxray('changes', 'add', '--workspace', empty, '--name', 'X', '--date', '2025-10-01', '--json');
    expect(refused.code).toBe(1);
    expect(json<{ error: { code: string } }>(refused).error.code).toBe('config_missing');
    expect(existsSync(join(empty, 'store', 'changes.json'))).toBe(false);
  });

  it('a damaged changes file is a user error naming it, and fails the changes analysis alone', async () => {
    const fresh = makeChangesWorkspace(handCustomers(5, 20));
    await new Workspace(fresh).import();
    await cxray('changes', 'add', '--workspace', fresh, '--name', 'A', '--date', '2025-10-01');
    writeFileSync(join(fresh, 'store', 'changes.json'), '{"version": 1, "changes": [{"name": "A"}]}');
    const run = await cxray('changes', 'list', '--workspace', fresh, '--json');
    expect(run.code).toBe(1);
    expect(json<{ error: { code: string; file: string; hint: string } }>(run).error).toEqual(expect.objectContaining({ code: 'changes_file_damaged', file: join(fresh, 'store', 'changes.json') }));
    const analyzed = json<{ results: { name: string; status: string; reason?: string }[] }>(await cxray('analyze', 'profile', 'changes', '--workspace', fresh, '--json'));
    expect(analyzed.results.map((r) => [r.name, r.status])).toEqual([
      ['profile', 'ok'],
      ['changes', 'failed'],
    ]);
    expect(analyzed.results[1]?.reason).toMatch(/^The changes file does not hold valid changes \(changes\.0\.date: .*\)\. Fix or remove .*changes\.json, then add the changes again/);
  });

  it('--help explains the command with examples', async () => {
    for (const args of [['changes'], ['changes', 'add'], ['changes', 'list'], ['changes', 'rm']]) {
      const run = await cxray(...args, '--help');
      expect(run.code, args.join(' ')).toBe(0);
      expect(run.stdout, args.join(' ')).toContain('Examples:');
    }
  });
});
