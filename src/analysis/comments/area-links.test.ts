import { describe, expect, it } from 'vitest';
import { BUILTIN_CONCEPTS } from '../../text/themes/index.js';
import { linkThemeArea } from './area-links.js';

// The experience areas `cxray init` writes for the simulated company (from its survey's areas).
const SIMULATED = {
  network_coverage_and_reliability: { label: 'Network coverage and reliability', survey_areas: ['Network coverage and reliability'] },
  billing_and_payments: { label: 'Billing and payments', survey_areas: ['Billing and payments'] },
  customer_support: { label: 'Customer support', survey_areas: ['Customer support'] },
  mobile_app_and_website: { label: 'Mobile app and website', survey_areas: ['Mobile app and website'] },
  price_and_value: { label: 'Price and value', survey_areas: ['Price and value'] },
  stores_and_staff: { label: 'Stores and staff', survey_areas: ['Stores and staff'] },
  getting_started: { label: 'Getting started', survey_areas: ['Getting started'] },
  communication_and_offers: { label: 'Communication and offers', survey_areas: ['Communication and offers'] },
};

const link = (concept: string, areas: Parameters<typeof linkThemeArea>[2]): string | null => {
  const c = BUILTIN_CONCEPTS.find((x) => x.key === concept);
  if (c === undefined) throw new Error(concept);
  return linkThemeArea(c.area, c.label, areas).key;
};

describe('linkThemeArea', () => {
  it('links every built-in concept the simulated company rates to its area, whatever the keys (digital to the app area, staff and store to stores and staff)', () => {
    const expected: Record<string, string | null> = {
      billing: 'billing_and_payments',
      price: 'price_and_value',
      support: 'customer_support',
      staff: 'stores_and_staff',
      store: 'stores_and_staff',
      digital: 'mobile_app_and_website',
      network: 'network_coverage_and_reliability',
      onboarding: 'getting_started',
      communication: 'communication_and_offers',
      delivery: null,
      returns: null,
      cancellation: null,
      trust: null,
      loyalty: null,
    };
    for (const [concept, area] of Object.entries(expected)) expect(link(concept, SIMULATED), concept).toBe(area);
  });

  it('prefers a key, then a label or survey area naming the area, then shared words; no area, no link', () => {
    const areas = { app: { label: 'Our app' }, shops: { label: 'Stores', survey_areas: ['In-store visit'] }, helpdesk: { label: 'Help desk' } };
    expect(linkThemeArea('app', null, areas)).toEqual({ key: 'app', label: 'Our app', how: 'key' });
    expect(linkThemeArea('Stores', null, areas)).toEqual({ key: 'shops', label: 'Stores', how: 'name' });
    expect(linkThemeArea('digital', 'App and website', areas)).toEqual({ key: 'app', label: 'Our app', how: 'words' });
    expect(linkThemeArea('support', 'Customer support', areas).key).toBe('helpdesk');
    expect(linkThemeArea('delivery', 'Delivery and shipping', areas)).toEqual({ key: null, label: null, how: 'none' });
    expect(linkThemeArea(null, null, areas)).toEqual({ key: null, label: null, how: 'no_area' });
    expect(linkThemeArea('billing', 'Billing and charges', {})).toEqual({ key: null, label: null, how: 'none' });
  });

  it('does not link on one loose word of a concept label', () => {
    // "service" in "Network and service reliability" alone does not make a support area the network's.
    expect(linkThemeArea('network', 'Network and service reliability', { customer_service: { label: 'Customer service' } }).key).toBeNull();
  });
});
