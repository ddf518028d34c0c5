import { describe, expect, it } from 'vitest';
import { benjaminiHochberg } from './benjamini-hochberg.js';
import { expectAllClose, loadReference } from './reference.case.js';
import { screen } from './screen.js';
import { isSuppressed, suppressSmallCells } from './suppression.js';

const reference = loadReference<{ pValues: number[]; qValues: number[]; rejectAt05: boolean[] }>('multiple-testing.json');

describe('Benjamini–Hochberg', () => {
  it('matches statsmodels multipletests(fdr_bh), including ties, 0 and 1 (1e-14)', () => {
    const q = benjaminiHochberg(reference.pValues);
    expectAllClose(q, reference.qValues, 1e-14, 0, 'q');
    expect(q.map((v) => v <= 0.05)).toEqual(reference.rejectAt05);
  });

  it('returns nothing for no tests and rejects invalid p-values', () => {
    expect(benjaminiHochberg([])).toEqual([]);
    expect(() => benjaminiHochberg([0.2, 1.2])).toThrow(/\[0, 1\]/);
  });
});

describe('screen', () => {
  const findings = [
    { id: 'autopay', unit: 'EUR', estimate: 42, pValue: 0.0001 },
    { id: 'paperless', unit: 'EUR', estimate: 3, pValue: 0.0002 }, // credible but trivial
    { id: 'referrals', unit: 'nps_points', estimate: -12, pValue: 0.004 },
    { id: 'chat', unit: 'nps_points', estimate: 20, pValue: 0.2 }, // large but not credible
  ];

  it('passes only findings that survive both FDR and the practical threshold of their unit', () => {
    const result = screen(findings, { alpha: 0.05, practicalThreshold: { EUR: 10, nps_points: 5 } });
    expect(result.map((r) => [r.id, r.passesFdr, r.passesPractical, r.passes])).toEqual([
      ['autopay', true, true, true],
      ['paperless', true, false, false],
      ['referrals', true, true, true],
      ['chat', false, true, false],
    ]);
    expect(result[3]?.qValue).toBeCloseTo(0.2, 12);
  });

  it('demands a threshold for every unit it sees', () => {
    expect(() => screen(findings, { alpha: 0.05, practicalThreshold: { EUR: 10 } })).toThrow(/nps_points/);
  });
});

describe('suppression', () => {
  it('withholds cells with n < 5, keeping only their identifying fields', () => {
    const cells = [
      { segment: 'retail', n: 120, nps: 31.2 },
      { segment: 'b2b', n: 4, nps: 75 },
      { segment: 'public', n: 5, nps: -10 },
    ];
    expect(suppressSmallCells(cells, ['segment'])).toEqual([
      { segment: 'retail', n: 120, nps: 31.2, suppressed: false },
      { segment: 'b2b', suppressed: true },
      { segment: 'public', n: 5, nps: -10, suppressed: false },
    ]);
    expect(isSuppressed(4)).toBe(true);
    expect(isSuppressed(5)).toBe(false);
  });
});
