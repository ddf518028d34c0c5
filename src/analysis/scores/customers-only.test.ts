import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DuckDbEngine } from '../../engine/duckdb/engine.js';
import { initWorkspace } from '../../init/index.js';
import { Workspace } from '../../workspace/workspace.js';

// A workspace with a customer list and nothing else: no transactions, so no
// fit score, lifetime value or churn history. The export still writes every
// customer, says what is empty and why, and lists no one at risk; prospects
// cannot be scored (there is no fit to learn from).

let ws: Workspace;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cxray-scores-customers-only-'));
  const rows = Array.from({ length: 30 }, (_, i) => `${1000 + i},c${i}@example.com,2025-0${1 + (i % 9)}-10 10:00,${['retail', 'smb', 'public'][i % 3]},${['referral', 'organic'][i % 2]}`);
  writeFileSync(join(dir, 'contacts.csv'), ['Record ID,Email,Create Date,Segment,Acquisition Channel', ...rows, ''].join('\n'));
  await initWorkspace({ dir, from: [join(dir, 'contacts.csv')], force: false });
  ws = new Workspace(dir);
  await ws.import();
}, 120_000);

describe('scores of a workspace with customers only', () => {
  it('export scores writes every customer, the unmeasured columns empty and said so, and no action', async () => {
    const answer = await ws.exportScores({ out: join(dir, 'scores.csv') });
    expect(answer.customers).toBe(30);
    expect(answer.notes.join(' ')).toMatch(/fit_score is empty: Needs transactions/);
    expect(answer.notes.join(' ')).toMatch(/lifetime_value and p_alive are empty/);
    expect(answer.churnModel.method).toBe('none');
    expect(answer.actions.customers).toBe(0);
    const engine = await DuckDbEngine.open(':memory:');
    try {
      const rows = await engine.query(`SELECT * FROM read_csv('${answer.out}', header = true, all_varchar = true)`);
      expect(rows).toHaveLength(30);
      expect(rows.every((r) => r['fit_score'] === null && r['lifetime_value'] === null && r['churn_risk'] === null)).toBe(true);
      expect(new Set(rows.map((r) => r['segment']))).toEqual(new Set(['retail', 'smb', 'public']));
    } finally {
      await engine.close();
    }
  });

  it('score-prospects says it needs the fit score', async () => {
    writeFileSync(join(dir, 'leads.csv'), 'lead_id,Segment\nL1,retail\n');
    await expect(ws.scoreProspects({ file: join(dir, 'leads.csv'), out: join(dir, 'leads-scored.csv') })).rejects.toMatchObject({ code: 'prospects_need_fit' });
  });
});
