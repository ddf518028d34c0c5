import { describe, expect, it } from 'vitest';
import { themePurity } from './purity.js';

describe('themePurity', () => {
  const truth = new Map([['1', 'a'], ['2', 'a'], ['3', 'a'], ['4', 'b'], ['5', 'b'], ['6', 'c']]);

  it('is 1 and 1 for a perfect grouping', () => {
    const found = new Map([['1', 'x'], ['2', 'x'], ['3', 'x'], ['4', 'y'], ['5', 'y'], ['6', 'z']]);
    const report = themePurity(found, truth);
    expect([report.purity, report.inversePurity, report.assigned]).toEqual([1, 1, 6]);
    expect(report.trueLabels.every((label) => label.isMajorityOfSomeTheme)).toBe(true);
  });

  it('counts each found theme\'s majority (Manning et al. 2008, §16.3)', () => {
    // x = {a, a, b}, y = {a, b, c}: majorities 2 + 1 of 6.
    const found = new Map([['1', 'x'], ['2', 'x'], ['4', 'x'], ['3', 'y'], ['5', 'y'], ['6', 'y']]);
    const report = themePurity(found, truth);
    expect(report.purity).toBeCloseTo(3 / 6, 12);
    expect(report.inversePurity).toBeCloseTo((2 + 1 + 1) / 6, 12);
  });

  it('exposes over-splitting: purity 1 with singletons, inverse purity low', () => {
    const found = new Map([...truth.keys()].map((id) => [id, `t${id}`]));
    const report = themePurity(found, truth);
    expect(report.purity).toBe(1);
    expect(report.inversePurity).toBeCloseTo(3 / 6, 12);
  });

  it('leaves unassigned comments out of both and flags a label that leads no theme', () => {
    const found = new Map<string, string | null>([['1', 'x'], ['2', 'x'], ['3', null], ['4', 'x'], ['5', null], ['6', null]]);
    const report = themePurity(found, truth);
    expect([report.assigned, report.labelled]).toEqual([3, 6]);
    expect(report.purity).toBeCloseTo(2 / 3, 12);
    expect(report.trueLabels.find((label) => label.label === 'b')?.isMajorityOfSomeTheme).toBe(false);
  });
});
