import { describe, expect, it } from 'vitest';
import { columnHeader, formatCell, formatEstimate, formatMoneyAtStake, formatNumber, formatWithUnit } from './format-value.js';

describe('numbers in their units', () => {
  it('money in the currency, shares as percentages, points and ratios marked, p-values to three places', () => {
    expect(formatNumber(1234.567, 'USD')).toBe('$1,235');
    expect(formatNumber(27.956, 'USD')).toBe('$27.96');
    expect(formatNumber(-7.456, 'EUR')).toBe('-€7.46');
    expect(formatNumber(0.0755, 'share')).toBe('7.5%');
    expect(formatNumber(-4.51, 'percentage_points')).toBe('−4.5 pts');
    expect(formatNumber(2.81, 'percentage_points')).toBe('+2.8 pts');
    expect(formatNumber(1.4419, 'concentration_ratio')).toBe('1.44×');
    expect(formatNumber(0.00002, 'probability')).toBe('<0.001');
    expect(formatNumber(0.0749, 'probability')).toBe('0.075');
    expect(formatNumber(2000, 'customers')).toBe('2,000');
    expect(formatNumber(462.36, 'days')).toBe('462');
    expect(formatNumber(0.9151, null)).toBe('0.915');
    expect(formatNumber(427, null)).toBe('427');
    expect(formatNumber(12345.6, null)).toBe('12,346');
  });

  it('cells: suppressed as a dash, booleans in words, integers grouped, strings as they are', () => {
    expect(formatCell(null, 'number', 'USD')).toBe('—');
    expect(formatCell(true, 'boolean', null)).toBe('yes');
    expect(formatCell(1234567, 'integer', 'customers')).toBe('1,234,567');
    expect(formatCell('<b>retail</b>', 'string', null)).toBe('<b>retail</b>');
    expect(formatCell(0.5, 'number', 'share')).toBe('50.0%');
  });

  it('headers carry the unit unless the name says it', () => {
    expect(columnHeader('net_value', 'USD')).toBe('net value (USD)');
    expect(columnHeader('customers', 'customers')).toBe('customers');
    expect(columnHeader('share', 'share')).toBe('share');
    expect(columnHeader('window_months', 'months')).toBe('window months');
  });

  it('an estimate with its interval, and money at stake per period', () => {
    expect(formatEstimate(1.44, { lower: 1.25, upper: 1.65, level: 0.95 }, 'hazard_ratio')).toBe('1.44× (95% CI 1.25× to 1.65×)');
    expect(formatEstimate(10.04, { lower: 8.86, upper: 11.22, level: 0.9 }, 'points')).toBe('10.04 points (90% CI 8.86 to 11.22)');
    // A count of the customers there are: no interval from a number to itself.
    expect(formatEstimate(2000, { lower: 2000, upper: 2000, level: 0.95 }, 'customers')).toBe('2,000 customers');
    // Scores on a 0-100 scale and NPS read to a tenth, the scale said once after the number.
    expect(formatEstimate(56.6873, { lower: 55.12, upper: 58.25, level: 0.95 }, 'score 0-100')).toBe('56.7/100 (95% CI 55.1 to 58.3)');
    expect(formatEstimate(-5.0212, { lower: -7.9, upper: -2.14, level: 0.95 }, 'nps_points')).toBe('−5.0 NPS (95% CI −7.9 to −2.1)');
    expect(formatEstimate(72.34, { lower: 70, upper: 74.6, level: 0.95 }, 'mean satisfaction, 0-100')).toBe('72.3/100 mean satisfaction (95% CI 70.0 to 74.6)');
    expect(formatWithUnit(41.05, 'index 0-100')).toBe('41.1/100');
    expect(formatWithUnit(3, 'customers')).toBe('3 customers');
    expect(formatWithUnit(0.25, 'share')).toBe('25.0%');
    expect(formatMoneyAtStake({ amount: 112052.79, currency: 'USD', period: 'year' })).toBe('$112,053 a year');
    expect(formatMoneyAtStake({ amount: 4274.36, currency: 'USD', period: 'total' })).toBe('$4,274 in all');
  });
});
