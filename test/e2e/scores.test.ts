import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ProspectScoresAnswer } from '../../src/analysis/prospects/score-prospects.js';
import type { ExportScoresAnswer } from '../../src/analysis/scores/export-scores.js';
import { cxray } from '../helpers/cli.js';

// `cxray score-prospects` and `cxray export scores` as a user runs them, on a
// simulated company of 2,000 customers through simulate, init and import.

let company: string;
let workspace: string;
let out: string;

beforeAll(() => {
  company = mkdtempSync(join(tmpdir(), 'cxray-e2e-scores-company-'));
  workspace = mkdtempSync(join(tmpdir(), 'cxray-e2e-scores-ws-'));
  out = mkdtempSync(join(tmpdir(), 'cxray-e2e-scores-out-'));
  expect(cxray(['simulate', '--customers', '2000', '--seed', '3', '--out', company]).code).toBe(0);
  const files = readdirSync(company).filter((f) => f.endsWith('.csv')).map((f) => join(company, f));
  const init = cxray(['init', '--workspace', workspace, '--from', ...files]);
  expect(init.code, init.stderr).toBe(0);
  const run = cxray(['import', '--workspace', workspace]);
  expect(run.code, run.stderr).toBe(0);
});

describe('cxray score-prospects and cxray export scores', () => {
  it('--help explains both with examples', () => {
    for (const args of [['score-prospects', '--help'], ['export', 'scores', '--help'], ['export', '--help']]) {
      const run = cxray(args);
      expect(run.code, args.join(' ')).toBe(0);
      expect(run.stdout, args.join(' ')).toContain('Examples:');
    }
    expect(cxray(['--help']).stdout).toMatch(/score-prospects[\s\S]*export/);
  });

  it('score-prospects prints the lift and calibration, and with --json one document whose files exist', () => {
    const text = cxray(['score-prospects', join(company, 'prospects.csv'), '--out', join(out, 'scored.csv'), '--workspace', workspace]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/prospects scored/);
    expect(text.stdout).toContain('Lift on held-out customers');
    expect(text.stdout).toContain('Calibration on held-out customers');
    const json = cxray(['score-prospects', join(company, 'prospects.csv'), '--out', join(out, 'scored.parquet'), '--workspace', workspace, '--json']);
    expect(json.code, json.stderr).toBe(0);
    const answer = JSON.parse(json.stdout) as ProspectScoresAnswer;
    expect(answer.prospects.scored).toBe(answer.prospects.read);
    expect(answer.outputColumns.slice(0, 4)).toEqual(['id', 'score', 'rule_id', 'rule_text']);
    expect(existsSync(answer.out) && existsSync(answer.qualityFile)).toBe(true);
    expect(readFileSync(join(out, 'scored.csv'), 'utf8').split('\n')[0]).toBe(answer.outputColumns.join(','));
  });

  it('export scores writes the customers and the action list; --json says how churn risk is computed', () => {
    const json = cxray(['export', 'scores', '--out', join(out, 'scores.csv'), '--workspace', workspace, '--json']);
    expect(json.code, json.stderr).toBe(0);
    const answer = JSON.parse(json.stdout) as ExportScoresAnswer;
    expect(answer.customers).toBe(2000);
    expect(answer.churnRisk.length).toBeGreaterThan(20);
    expect(readFileSync(answer.out, 'utf8').trim().split('\n')).toHaveLength(2001);
    expect(answer.actions.file).toBe(join(out, 'scores.actions.csv'));
    expect(readFileSync(answer.actions.file, 'utf8').trim().split('\n')).toHaveLength(answer.actions.customers + 1);
    const text = cxray(['export', 'scores', '--out', join(out, 'retail.parquet'), '--actions', join(out, 'at-risk.csv'), '--segment', 'segment = retail', '--workspace', workspace]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/customers in the segment segment = .?retail.? written/);
    expect(existsSync(join(out, 'at-risk.csv'))).toBe(true);
  });

  it('mistakes are user errors (exit 1) with a hint; with --json one error document', () => {
    const wrongKind = cxray(['export', 'scores', '--out', join(out, 'scores.xlsx'), '--workspace', workspace, '--json']);
    expect(wrongKind.code).toBe(1);
    expect((JSON.parse(wrongKind.stdout) as { error: { code: string; hint: string } }).error).toMatchObject({ code: 'bad_argument', hint: expect.stringMatching(/\.csv/) as string });
    const noOut = cxray(['export', 'scores', '--workspace', workspace, '--json']);
    expect(noOut.code).toBe(1);
    expect((JSON.parse(noOut.stdout) as { error: { code: string } }).error.code).toBe('usage');
    const missing = cxray(['score-prospects', join(out, 'nope.csv'), '--out', join(out, 'x.csv'), '--workspace', workspace]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^error: Cannot read .*nope\.csv/);
    expect(missing.stderr).not.toMatch(/\n\s+at /);
  });
});
