import { describe, expect, it } from 'vitest';
import { configSchema } from '../../config/schema.js';
import { areaCharacteristic } from './characteristics.js';
import { areaStatus } from './status.js';

const at = (lower: number, upper: number) => ({ lower, upper, level: 0.95 });

describe('the status rule at its boundaries (overall 60, margin 5)', () => {
  it('is weak only when the upper bound lies strictly below the overall minus the margin', () => {
    expect(areaStatus(at(40, 54.999), 60, 5)).toBe('weak');
    expect(areaStatus(at(40, 55), 60, 5)).toBe('average');
    expect(areaStatus(at(50, 58), 60, 5)).toBe('average');
  });

  it('is strong only when the lower bound lies strictly above the overall plus the margin', () => {
    expect(areaStatus(at(65.001, 80), 60, 5)).toBe('strong');
    expect(areaStatus(at(65, 80), 60, 5)).toBe('average');
  });

  it('with a margin of 0 compares the interval with the overall itself', () => {
    expect(areaStatus(at(50, 59.9), 60, 0)).toBe('weak');
    expect(areaStatus(at(50, 60), 60, 0)).toBe('average');
    expect(areaStatus(at(60.1, 70), 60, 0)).toBe('strong');
  });
});

describe('the characteristic an experience area stands for', () => {
  const config = configSchema.parse({
    sources: {},
    experience_areas: {
      billing_and_payments: { label: 'Billing and payments', survey_areas: ['Billing and payments'] },
      support: { label: 'Customer support', characteristic: 'beyond_expected' },
      app: { label: 'The app', characteristic: 'none' },
      speed: { label: 'Speed' },
    },
  });

  it('is guessed from the words of the standard company’s areas', () => {
    const guess = (label: string): string | null => areaCharacteristic(config, label, label, [label]).characteristic;
    expect(
      ['Network coverage and reliability', 'Billing and payments', 'Customer support', 'Mobile app and website', 'Price and value', 'Stores and staff', 'Getting started', 'Communication and offers'].map(guess),
    ).toEqual(['solves_problem', 'earns_trust', 'solves_problem', 'solves_problem', 'value_for_price', 'authentic_relationship', 'consistent_story', 'consistent_story']);
    expect(guess('Late fees and penalties')).toBe('fair_treatment');
    expect(guess('Loyalty rewards')).toBe('beyond_expected');
    expect(guess('Understands my needs')).toBe('whole_person');
  });

  it('follows cxray.yaml when it says, `none` included, and is none when no word matches', () => {
    expect(areaCharacteristic(config, 'billing_and_payments', 'Billing and payments', ['Billing and payments'])).toEqual({ characteristic: 'earns_trust', source: 'default' });
    expect(areaCharacteristic(config, 'support', 'Customer support', [])).toEqual({ characteristic: 'beyond_expected', source: 'config' });
    expect(areaCharacteristic(config, 'app', 'The app', [])).toEqual({ characteristic: null, source: 'config' });
    expect(areaCharacteristic(config, 'speed', 'Speed', [])).toEqual({ characteristic: null, source: 'none' });
    expect(configSchema.safeParse({ sources: {}, experience_areas: { x: { characteristic: 'kindness' } } }).success).toBe(false);
  });
});
