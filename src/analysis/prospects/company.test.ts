import { appendFileSync, copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { standardCompany } from '../../../test/helpers/company.js';
import { DuckDbEngine } from '../../engine/duckdb/engine.js';
import { UserError } from '../../errors.js';
import type { Truth } from '../../simulate/truth.js';
import type { Workspace } from '../../workspace/workspace.js';
import { importStandardCompany } from '../value/company-workspace.case.js';
import type { ProspectScoresAnswer } from './score-prospects.js';

// The standard simulated company (20,000 customers, seed 1) and the
// simulator's prospects.csv (1,000 prospects, 43 of them in the planted ideal
// segment: referral AND annual AND retail).

let ws: Workspace;
let truth: Truth;
let dir: string;
let answer: ProspectScoresAnswer;
const prospectsFile = (): string => join(standardCompany(), 'prospects.csv');

async function readBack(path: string): Promise<{ columns: string[]; rows: Record<string, unknown>[] }> {
  const engine = await DuckDbEngine.open(':memory:');
  try {
    const reader = path.endsWith('.parquet') ? `read_parquet('${path}')` : `read_csv('${path}', header = true, all_varchar = false)`;
    const columns = (await engine.query(`DESCRIBE SELECT * FROM ${reader}`)).map((r) => String(r['column_name']));
    return { columns, rows: await engine.query(`SELECT * FROM ${reader}`) };
  } finally {
    await engine.close();
  }
}

beforeAll(async () => {
  ({ ws, truth } = await importStandardCompany('prospects'));
  dir = mkdtempSync(join(tmpdir(), 'cxray-prospects-out-'));
  answer = await ws.scoreProspects({ file: prospectsFile(), out: join(dir, 'scored.csv') });
}, 300_000);

describe('score-prospects on the simulated company', () => {
  it('scores every prospect, with the columns id, score, rule_id, rule_text, contrib_<attribute>..., in file order', async () => {
    expect(answer.prospects).toMatchObject({ read: 1000, scored: 1000, duplicates: 0, quarantined: 0 });
    expect(answer.quarantineFile).toBeNull();
    const { columns, rows } = await readBack(answer.out);
    expect(columns).toEqual(['id', 'score', 'rule_id', 'rule_text', 'contrib_segment', 'contrib_acquisition_channel', 'contrib_age_band', 'contrib_region', 'contrib_contract_type']);
    const ids = readFileSync(prospectsFile(), 'utf8').trim().split('\n').slice(1).map((line) => line.split(',')[0]);
    expect(rows.map((r) => r['id'])).toEqual(ids);
    // The score is the base plus the contributions, clipped (each rounded to 2 decimals).
    for (const r of rows.slice(0, 200)) {
      const sum = answer.model.base + columns.filter((c) => c.startsWith('contrib_')).reduce((s, c) => s + Number(r[c]), 0);
      expect(Number(r['score'])).toBeCloseTo(Math.min(100, Math.max(0, sum)), 1);
    }
  });

  it('says which columns it used and why it ignored the plan (a price tier the rules leave out)', () => {
    expect(answer.columns.id).toBe('prospect_id');
    expect(answer.columns.used.map((u) => [u.column, u.modelAttribute])).toEqual([
      ['Segment', 'segment'],
      ['Acquisition Channel', 'acquisition_channel'],
      ['Age', 'age_band'],
      ['Region', 'region'],
      ['Contract Type', 'contract_type'],
    ]);
    expect(answer.columns.ignored).toEqual([{ column: 'Plan', why: expect.stringMatching(/price tier/) as string }]);
    expect(answer.columns.missing).toEqual([]);
  });

  it('gives the planted ideal prospects the ideal rule and higher scores', async () => {
    const def = truth.idealSegment.definition;
    const ideal = answer.rules.find((r) => [def.segment, def.channel, def.contractType].every((level) => r.text.includes(`= ${level}`)) && r.text.split(' AND ').length === 3);
    expect(ideal, JSON.stringify(answer.rules)).toBeDefined();
    const engine = await DuckDbEngine.open(':memory:');
    try {
      const rows = await engine.query(
        `SELECT s.rule_id, s.score, (p."Segment" = $segment AND p."Acquisition Channel" = $channel AND p."Contract Type" = $contract) AS planted
         FROM read_csv('${answer.out}', header = true) s JOIN read_csv('${prospectsFile()}', header = true) p ON p.prospect_id = s.id`,
        { segment: def.segment, channel: def.channel, contract: def.contractType },
      );
      const planted = rows.filter((r) => r['planted'] === true);
      const others = rows.filter((r) => r['planted'] !== true);
      expect(planted.length).toBe(truth.prospects.matchingIdealProfile);
      expect(new Set(planted.map((r) => Number(r['rule_id'])))).toEqual(new Set([ideal?.id]));
      expect(others.every((r) => r['rule_id'] === null || Number(r['rule_id']) !== ideal?.id)).toBe(true);
      const mean = (xs: Record<string, unknown>[]): number => xs.reduce((s, r) => s + Number(r['score']), 0) / xs.length;
      expect(mean(planted)).toBeGreaterThan(mean(others) + 10);
      expect(ideal?.prospects).toBe(truth.prospects.matchingIdealProfile);
    } finally {
      await engine.close();
    }
  });

  it('on held-out customers, the top 30% by score hold clearly more than 30% of the best, and the score is calibrated', () => {
    const q = answer.quality;
    expect(q.heldOutCustomers).toBeGreaterThan(8000);
    expect(q.bestCustomers).toBeGreaterThan(500);
    expect(q.lift.map((r) => r.top)).toEqual([0.1, 0.2, 0.3]);
    const top30 = q.lift[2];
    expect(top30?.interval.lower).toBeGreaterThan(0.4);
    // More of the best at each step down the ranking, the top tenth most concentrated.
    expect(q.lift.map((r) => r.captured)).toEqual([...q.lift.map((r) => r.captured)].sort((a, b) => a - b));
    expect(q.lift[0]?.lift).toBeGreaterThan(top30?.lift ?? Number.POSITIVE_INFINITY);
    const first = q.calibration[0];
    const last = q.calibration[9];
    expect(q.calibration.reduce((s, c) => s + c.customers, 0)).toBe(q.heldOutCustomers);
    expect((last?.meanActual ?? 0) - (first?.meanActual ?? 0)).toBeGreaterThan(20);
    // Predicted and actual within 5 points in every tenth.
    for (const c of q.calibration) expect(Math.abs(c.meanPredicted - c.meanActual), `tenth ${c.decile}`).toBeLessThan(5);
    expect(JSON.parse(readFileSync(answer.qualityFile, 'utf8'))).toEqual(JSON.parse(JSON.stringify(answer)));
  });

  it('an unknown level counts as average; bad rows are quarantined with line, column and reason, never lost', async () => {
    const file = join(dir, 'prospects-bad.csv');
    copyFileSync(prospectsFile(), file);
    const firstRow = readFileSync(prospectsFile(), 'utf8').split('\n')[1] ?? '';
    appendFileSync(
      file,
      [
        'PR-MARS,martian,referral,30,North,annual,Basic', // line 1002: unknown segment, scored
        'PR-AGE,retail,referral,abc,North,annual,Basic', // 1003: age unreadable
        ',retail,referral,30,North,annual,Basic', // 1004: no id
        'PR-SHORT,retail,referral', // 1005: too few columns
        firstRow, // 1006: an exact copy of line 2
        'PR-TWICE,smb,organic,40,East,monthly,Basic', // 1007 and 1008: the same id, different values
        'PR-TWICE,smb,organic,41,East,monthly,Basic',
      ].join('\n') + '\n',
    );
    const bad = await ws.scoreProspects({ file, out: join(dir, 'scored-bad.parquet') });
    expect(bad.prospects).toMatchObject({ read: 1007, scored: 1001, duplicates: 1, quarantined: 5 });
    expect(bad.prospects.quarantinedByReason).toEqual({ not_a_number: 1, missing_value: 1, wrong_column_count: 1, conflicting_duplicate: 2 });
    expect(bad.prospects.examples).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ line: 1003, column: 'Age', reason: 'not_a_number' }),
        expect.objectContaining({ line: 1004, column: 'prospect_id', reason: 'missing_value' }),
        expect.objectContaining({ line: 1005, reason: 'wrong_column_count' }),
        expect.objectContaining({ line: 1007, reason: 'conflicting_duplicate' }),
        expect.objectContaining({ line: 1008, reason: 'conflicting_duplicate' }),
      ]),
    );
    expect(bad.quarantineFile).not.toBeNull();
    expect(readFileSync(bad.quarantineFile ?? '', 'utf8').trim().split('\n')).toHaveLength(6);
    expect(bad.unknownLevels).toEqual([{ attribute: 'segment', level: 'martian', prospects: 1 }]);
    const { rows } = await readBack(bad.out);
    expect(rows).toHaveLength(1001);
    const mars = rows.find((r) => r['id'] === 'PR-MARS');
    expect(mars?.['contrib_segment']).toBe(0);
    expect(rows.find((r) => r['id'] === 'PR-000001')).toBeDefined();
    // A later clean run removes the stale quarantine file beside the same output.
    const clean = await ws.scoreProspects({ file: prospectsFile(), out: join(dir, 'scored-bad.parquet') });
    expect(clean.quarantineFile).toBeNull();
    expect(existsSync(bad.quarantineFile ?? '')).toBe(false);
  });

  it('refuses what it cannot do, with a UserError and a hint', async () => {
    const wrongKind = ws.scoreProspects({ file: prospectsFile(), out: join(dir, 'scored.txt') });
    await expect(wrongKind).rejects.toThrow(UserError);
    await expect(wrongKind).rejects.toMatchObject({ code: 'bad_argument' });
    await expect(ws.scoreProspects({ file: join(dir, 'nope.csv'), out: join(dir, 'x.csv') })).rejects.toMatchObject({ code: 'source_missing' });
    const unrelated = join(dir, 'unrelated.csv');
    writeFileSync(unrelated, 'lead,colour\n1,red\n2,blue\n');
    await expect(ws.scoreProspects({ file: unrelated, out: join(dir, 'x.csv') })).rejects.toMatchObject({ code: 'prospects_no_attributes', hint: expect.stringMatching(/Acquisition Channel/) as string });
    await expect(ws.scoreProspects({ file: prospectsFile(), out: join(dir, 'x.csv'), idColumn: 'Lead' })).rejects.toMatchObject({ code: 'column_missing' });
  });
});
