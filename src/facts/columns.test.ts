import { describe, expect, it } from 'vitest';
import { configSchema } from '../config/schema.js';
import { INTERACTION_CHANNELS } from '../model/tables.js';
import { customerFactsColumns } from './index.js';

const config = configSchema.parse({
  currency: 'GBP',
  fees: { 'Late Fee': { label: 'Late payment' }, 'late fee': {} },
  behaviours: { x: { event: 'x_on' }, x_at: { attribute: 'plan', values: ['annual'] } },
  sources: {},
});

describe('customerFactsColumns', () => {
  const columns = customerFactsColumns(config, [
    { name: 'plan', type: 'string' },
    { name: 'revenue', type: 'double' },
  ]);
  const names = columns.map((c) => c.name);

  it('documents every column with a type, a unit where one applies and a description', () => {
    expect(new Set(names).size).toBe(names.length);
    for (const c of columns) {
      expect(c.description.length, c.name).toBeGreaterThan(10);
      expect(c.name, c.name).toMatch(/^[a-z][a-z0-9_]*$/);
    }
    const byName = new Map(columns.map((c) => [c.name, c]));
    expect(byName.get('net_value')?.unit).toBe('GBP');
    expect(byName.get('fee_late_fee')?.unit).toBe('GBP');
    expect(byName.get('recency_days')?.unit).toBe('days');
    expect(byName.get('handling_minutes')?.unit).toBe('minutes');
    expect(byName.get('churned')?.unit).toBeNull();
    expect(byName.get('frequency')).toMatchObject({ type: 'int64', nullable: true, table: 'transactions' });
    expect(byName.get('fee_late_fee')?.description).toContain('Late payment');
  });

  it('has every column the facts promise, in table order', () => {
    expect(names.slice(0, 3)).toEqual(['customer_id', 'plan', 'attribute_revenue']);
    const required = [
      'signup_at',
      'tenure_days',
      'cohort_month',
      'cohort_quarter',
      'revenue',
      'fees',
      'refunds',
      'credits',
      'cost_of_goods',
      'net_revenue',
      'transaction_count',
      'purchase_count',
      'purchase_days',
      'first_purchase_at',
      'last_purchase_at',
      'frequency',
      'recency_days',
      'age_days',
      'interaction_count',
      ...INTERACTION_CHANNELS.map((c) => `interactions_${c.replace('-', '_')}`),
      'handling_minutes',
      'cost_to_serve',
      ...INTERACTION_CHANNELS.map((c) => `cost_to_serve_${c.replace('-', '_')}`),
      'unresolved_count',
      'net_value',
      'survey_responses',
      'latest_nps',
      'mean_nps',
      'nps_class',
      'first_nps_at',
      'latest_csat',
      'mean_csat',
      'latest_ces',
      'mean_rating',
      'comment_count',
      'behaviour_count',
      'referrals_made',
      'referred_by',
      'is_referred',
      'churned',
      'churned_at',
      'status',
      'reactivations',
    ];
    expect(required.filter((n) => !names.includes(n))).toEqual([]);
  });

  it('resolves name collisions the same way whatever the config order', () => {
    // 'Late Fee' < 'late fee' by code units: the second is renamed.
    expect(names.filter((n) => n.startsWith('fee_'))).toEqual(['fee_late_fee', 'fee_late_fee_2']);
    // Behaviour x's date column and behaviour x_at's flag both want adopted_x_at.
    expect(names.filter((n) => n.startsWith('adopted_'))).toEqual(['adopted_x', 'adopted_x_at', 'adopted_x_at_2', 'adopted_x_at_at']);
    const reordered = configSchema.parse({
      currency: 'GBP',
      fees: { 'late fee': {}, 'Late Fee': { label: 'Late payment' } },
      behaviours: { x_at: { attribute: 'plan', values: ['annual'] }, x: { event: 'x_on' } },
      sources: {},
    });
    expect(customerFactsColumns(reordered, [{ name: 'plan', type: 'string' }, { name: 'revenue', type: 'double' }])).toEqual(columns);
  });
});
