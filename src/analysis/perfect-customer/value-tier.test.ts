import { describe, expect, it } from 'vitest';
import type { AttributeInfo } from '../facts-catalogue.js';
import type { Design } from '../regression/design.js';
import { valueTierStatement } from './value-tier.js';

const attribute = (source: string): AttributeInfo => ({ name: `attr_${source.toLowerCase().replace(/ /g, '_')}`, source, type: 'string', atAcquisition: true, unit: null });
const facts = { columns: [], attributes: [attribute('Segment'), attribute('Plan'), attribute('Service Tier'), attribute('Region')] };
const design = (sources: string[]): Design => ({
  columns: [],
  where: [],
  notes: [],
  covariates: sources.map((s) => ({ name: attribute(s).name, label: s })),
});

describe('the value tier an adjustment knows before adoption', () => {
  it('names the plan and tier attributes among the covariates the fit kept', () => {
    const s = valueTierStatement({ facts }, design(['Segment', 'Plan', 'Service Tier']));
    expect(s.warning).toBeNull();
    expect(s.assumption).toContain('Plan and Service Tier');
  });

  it('warns, naming the fix, when no covariate is a value tier (or the fit dropped it)', () => {
    for (const d of [design(['Segment', 'Region']), design([]), undefined]) {
      const s = valueTierStatement({ facts }, d);
      expect(s.warning).toContain('at_acquisition: true');
      expect(s.assumption).toBe(s.warning);
    }
  });
});
