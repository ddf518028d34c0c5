import { describe, expect, it } from 'vitest';
import type { AttributeInfo } from '../facts-catalogue.js';
import type { Grouping } from '../profile/groupings.js';
import type { Result } from '../result.js';
import { parseRuleKey, profileBasis } from './profile-rules.js';

const attribute = (name: string): AttributeInfo => ({ name, source: name, type: 'string', atAcquisition: true, unit: null });
const grouping = (key: string): Grouping => ({ key, label: key.replaceAll('_', ' '), expr: `"${key}"`, order: [], attribute: attribute(key) });
const groupings = [grouping('segment'), grouping('acquisition_channel'), grouping('contract_type'), grouping('plan')];

describe('the ideal profile read back from its Result', () => {
  it('a rule key becomes conditions on the groupings, levels holding & or = kept whole', () => {
    const conditions = parseRuleKey('segment=retail&acquisition_channel=word & mouth&contract_type=a=b', groupings);
    expect(conditions?.map((c) => [c.grouping.key, c.level])).toEqual([
      ['segment', 'retail'],
      ['acquisition_channel', 'word & mouth'],
      ['contract_type', 'a=b'],
    ]);
    expect(parseRuleKey('region=north', groupings)).toBeNull();
  });

  it('keeps the rules that hold out, by rank, and the attributes the rules may use', () => {
    const result = {
      status: 'ok',
      tables: [
        {
          name: 'ideal_rules',
          columns: [{ name: 'rank' }, { name: 'rule' }, { name: 'key' }, { name: 'status' }],
          rows: [
            [2, 'segment = smb', 'segment=smb', 'holds out'],
            [1, 'segment = retail AND contract type = annual', 'segment=retail&contract_type=annual', 'holds out'],
            [3, 'segment = public', 'segment=public', 'does not hold out'],
          ],
        },
        {
          name: 'ideal_attributes',
          columns: [{ name: 'attribute' }, { name: 'label' }, { name: 'value_explained' }, { name: 'in_rules' }],
          rows: [
            ['segment', 'segment', 0.1, true],
            ['contract_type', 'contract type', 0.01, true],
            ['plan', 'plan', 0.61, false],
          ],
        },
      ],
    } as unknown as Result;
    const basis = profileBasis(result, groupings);
    expect(basis.rules.map((r) => [r.id, r.text, r.conditions.length])).toEqual([
      [1, 'segment = retail AND contract type = annual', 2],
      [2, 'segment = smb', 1],
    ]);
    expect([...(basis.ruleAttributes ?? [])]).toEqual(['segment', 'contract_type']);
    expect(basis.leftOut.get('plan')).toMatch(/61%.*price tier/);
    expect(profileBasis({ ...result, status: 'skipped', reason: 'no attributes' } as Result, groupings)).toMatchObject({ rules: [], ruleAttributes: null, notOk: 'skipped: no attributes' });
  });
});
