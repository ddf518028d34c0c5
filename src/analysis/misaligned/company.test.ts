import { beforeAll, describe, expect, it } from 'vitest';
import type { Truth } from '../../simulate/truth.js';
import type { Workspace } from '../../workspace/workspace.js';
import type { Result } from '../result.js';
import { importStandardCompany, PROFILE_ATTRIBUTES } from '../value/company-workspace.case.js';
import { resultRows } from '../result-rows.case.js';

// misaligned on the standard simulated company (20,000 customers, seed 1,
// support costs appended). Planted (truth.json misalignedSegment): public-
// sector customers acquired by outbound sales on monthly contracts get a
// lower latent satisfaction (−0.65), complaint tickets and credits;
// realised: 951 customers, mean net value over their first 12 months −72.7,
// NPS −45.7. The scan must flag that cell (or a shorter description
// covering it) and nothing that could hold the planted ideal segment
// (referral, annual, retail).

let ws: Workspace;
let truth: Truth;
let result: Result;
let direct: { customers: number; perMonth: number };

type Definition = Truth['misalignedSegment']['definition'];

/** The conditions of a definition as `attribute=level` (the cell keys' parts), in any order. */
function conditionsOf(definition: Definition): string[] {
  return Object.entries(PROFILE_ATTRIBUTES).map(([field, attribute]) => `${attribute}=${definition[field as keyof Definition]}`);
}


/** A cell key (`segment=public&acquisition_channel=outbound`) as its conditions. */
function parse(key: unknown): string[] {
  return String(key).split('&');
}

beforeAll(async () => {
  ({ ws, truth } = await importStandardCompany('misaligned-company'));
  const { results } = await ws.analyze(['misaligned'], {}, { fresh: true });
  result = results.find((r) => r.name === 'misaligned') as Result;
  const d = truth.misalignedSegment.definition;
  const store = await ws.openStore();
  try {
    const [row] = await store.engine.query<{ n: bigint; r: number }>(
      'SELECT count(*) AS n, sum(CAST(net_value AS DOUBLE)) / sum(exposure_days / 30.4375) AS r FROM customer_facts WHERE acquisition_channel = $c AND contract_type = $t AND segment = $s',
      { c: d.channel, t: d.contractType, s: d.segment },
    );
    direct = { customers: Number(row?.n), perMonth: Number(row?.r) };
  } finally {
    await store.close();
  }
}, 300_000);

describe('misaligned segments on the standard simulated company', () => {
  it('flags the planted misaligned cell (or a shorter description covering it), with the money and customers at stake', () => {
    expect([result.status, result.reason]).toEqual(['ok', undefined]);
    const planted = conditionsOf(truth.misalignedSegment.definition);
    const reported = resultRows(result, 'misaligned_segments').filter((r) => r['status'] === 'misaligned');
    const covering = reported.filter((r) => parse(r['key']).every((c) => planted.includes(c)));
    expect(covering.length, JSON.stringify(reported.map((r) => r['segment']))).toBeGreaterThan(0);
    const exact = reported.find((r) => parse(r['key']).sort().join('|') === [...planted].sort().join('|'));
    expect(exact?.['customers']).toBe(truth.misalignedSegment.realised.misaligned.customers);
    expect(exact?.['customers']).toBe(direct.customers);
    expect(exact?.['net_value_per_month'] as number).toBeCloseTo(direct.perMonth, 9);
    expect(exact?.['net_value_upper'] as number).toBeLessThan(0);
    // The realised NPS over the planted cell's responses lies inside the interval of its customers' latest answers.
    expect(exact?.['satisfaction_lower'] as number).toBeLessThan(truth.misalignedSegment.realised.misaligned.nps);
    expect(exact?.['satisfaction_upper'] as number).toBeGreaterThan(truth.misalignedSegment.realised.misaligned.nps);
    expect(exact?.['satisfaction_upper'] as number).toBeLessThan(exact?.['overall_satisfaction'] as number);
    const finding = result.findings.find((f) => f.code === 'misaligned.segment');
    expect(finding?.moneyAtStake?.amount).toBeGreaterThan(0);
    expect(finding?.severity).toBe('high');
  });

  it('flags nothing that could hold the ideal segment', () => {
    const ideal = conditionsOf(truth.idealSegment.definition);
    const idealAttributes = new Set(ideal.map((c) => c.split('=')[0]));
    for (const r of resultRows(result, 'misaligned_segments').filter((x) => String(x['status']).startsWith('misaligned'))) {
      const conditions = parse(r['key']);
      // Some condition names an attribute of the ideal definition with another level: no ideal customer is in the cell.
      const excludesIdeal = conditions.some((c) => idealAttributes.has(c.split('=')[0] ?? '') && !ideal.includes(c));
      expect(excludesIdeal, String(r['segment'])).toBe(true);
    }
  });

  it('reports each description once: the overlapping ones are covered or described by a shorter one', () => {
    const reported = result.findings.filter((f) => f.code === 'misaligned.segment');
    expect(reported.length).toBeGreaterThan(0);
    expect(reported.length).toBeLessThanOrEqual(3);
    const scan = resultRows(result, 'misaligned_scan');
    expect(scan.map((s) => s['combinations'])).toEqual([6, 15, 20]);
    expect(scan.reduce((s, x) => s + (x['cells_tested'] as number), 0)).toBeGreaterThan(1000);
  });
});
