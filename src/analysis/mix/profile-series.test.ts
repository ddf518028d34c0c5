import { describe, expect, it } from 'vitest';
import { ruleText } from '../ideal-profile/rule.js';
import type { Grouping } from '../profile/groupings.js';
import { parseKey } from './profile-series.js';

const grouping = (key: string): Grouping => ({ key, label: key.replaceAll('_', ' '), expr: key, order: [], attribute: { name: key, source: key, type: 'string', atAcquisition: true, unit: null } });
const GROUPINGS = ['segment', 'acquisition_channel', 'age_band', 'contract_type'].map(grouping);

const read = (key: string): [string, string][] | null => parseKey(key, GROUPINGS)?.map((c) => [c.grouping.key, c.level]) ?? null;

describe('parseKey: a rule or cell key read back against the groupings it was written from', () => {
  it('reads the conditions in the groupings’ order', () => {
    expect(read('segment=retail&acquisition_channel=referral&contract_type=annual')).toEqual([
      ['segment', 'retail'],
      ['acquisition_channel', 'referral'],
      ['contract_type', 'annual'],
    ]);
    expect(read('age_band=25-34')).toEqual([['age_band', '25-34']]);
    const conditions = parseKey('segment=public&contract_type=monthly', GROUPINGS) ?? [];
    expect(ruleText({ conditions })).toBe('segment = public AND contract type = monthly');
  });

  it('keeps levels holding & or = whole when no later grouping starts after them', () => {
    expect(read('segment=R&D&contract_type=a=b')).toEqual([
      ['segment', 'R&D'],
      ['contract_type', 'a=b'],
    ]);
    expect(read('acquisition_channel=friends & family')).toEqual([['acquisition_channel', 'friends & family']]);
  });

  it('refuses a key naming an attribute it does not know; out of order, the rest is one level (whose words then differ from the Result’s, and profileSeries refuses it)', () => {
    expect(read('plan=Premium')).toBeNull();
    expect(read('')).toBeNull();
    expect(read('contract_type=annual&segment=retail')).toEqual([['contract_type', 'annual&segment=retail']]);
  });
});
