import { describe, expect, it } from 'vitest';
import { normalCritical } from '../../stats/index.js';
import { CHURN, compareRiskSets, SATISFACTION, type RiskSet, type RoleSums } from './aftermath-math.js';

/** A role's sums from its customers: churned 0/1 and, for those who answered, their mean score. */
function role(customers: { churned: 0 | 1; score?: number }[]): RoleSums {
  const answered = customers.filter((c) => c.score !== undefined);
  return {
    customers: customers.length,
    churned: customers.reduce((s, c) => s + c.churned, 0),
    answered: answered.length,
    score: answered.reduce((s, c) => s + (c.score ?? 0), 0),
    scoreSquares: answered.reduce((s, c) => s + (c.score ?? 0) ** 2, 0),
  };
}

const times = <T>(n: number, x: T): T[] => Array.from({ length: n }, () => x);

describe('risk-set comparison of the treated against their controls', () => {
  it('averages each treated customer against its own risk set’s controls (a case worked by hand)', () => {
    // Set a: 4 treated, 2 churned; 10 controls, 1 churned. Set b: 2 treated, none churned; 5 controls, 1 churned.
    // Set c: 3 treated and no control: unmatched.
    const sets: RiskSet[] = [
      { key: 'a', treated: role([...times(2, { churned: 1 as const }), ...times(2, { churned: 0 as const })]), controls: role([{ churned: 1 }, ...times(9, { churned: 0 as const })]) },
      { key: 'b', treated: role(times(2, { churned: 0 as const })), controls: role([{ churned: 1 }, ...times(4, { churned: 0 as const })]) },
      { key: 'c', treated: role(times(3, { churned: 1 as const })), controls: role([]) },
    ];
    const c = compareRiskSets(sets, CHURN);
    // Treated: 2 of 6; controls weighted by the treated: (4 × 0.1 + 2 × 0.2) / 6.
    expect(c?.treated).toBeCloseTo(2 / 6, 12);
    expect(c?.controls).toBeCloseTo(0.8 / 6, 12);
    expect(c?.difference).toBeCloseTo(2 / 6 - 0.8 / 6, 12);
    expect([c?.matched, c?.unmatched, c?.controlWeeks]).toEqual([6, 3, 15]);
    // Variance: the treated's differences d_i = y_i − ȳ_C(set): 0.9, 0.9, −0.1, −0.1, −0.2, −0.2.
    const d = [0.9, 0.9, -0.1, -0.1, -0.2, -0.2];
    const mean = d.reduce((s, x) => s + x, 0) / 6;
    const treatedPart = d.reduce((s, x) => s + (x - mean) ** 2, 0) / 5 / 6;
    // Controls: Σ n_T²·s²_C / n_C over the sets, over n_T²: s² of ten 0/1 with one 1 is 0.1, of five with one 1 is 0.2.
    const controlPart = ((16 * 0.1) / 10 + (4 * 0.2) / 5) / 36;
    const z = normalCritical(0.95);
    expect(c?.interval.upper).toBeCloseTo(mean + z * Math.sqrt(treatedPart + controlPart), 12);
  });

  it('compares satisfaction over those who answered only, and needs two answering controls in a set', () => {
    const sets: RiskSet[] = [
      { key: 'a', treated: role([{ churned: 0, score: -100 }, { churned: 0, score: 0 }, { churned: 0 }]), controls: role([{ churned: 0, score: 100 }, { churned: 0, score: 0 }, { churned: 0 }]) },
      { key: 'b', treated: role([{ churned: 0, score: 50 }]), controls: role([{ churned: 0, score: 100 }]) },
    ];
    const c = compareRiskSets(sets, SATISFACTION);
    // Set b has one answering control: unmatched. Set a: treated mean −50 against 50.
    expect([c?.treated, c?.controls, c?.difference, c?.matched, c?.unmatched]).toEqual([-50, 50, -100, 2, 1]);
  });

  it('gives nothing to compare with fewer than two matched treated', () => {
    expect(compareRiskSets([{ key: 'a', treated: role([{ churned: 1 }]), controls: role([{ churned: 0 }, { churned: 0 }]) }], CHURN)).toBeNull();
  });
});
