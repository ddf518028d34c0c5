import type { DeliveredValue } from './delivered-value.js';
import type { SegmentBalance } from './balance-scan.js';

/** How the axes of value delivered read in a sentence and on a chart. */
export interface AxisWords {
  /** Per axis, in order: "satisfaction with price and value (0-100)", "usage (behaviour events per customer-month)". */
  titles: string[];
  /** Per axis: "satisfaction with price and value", "usage". */
  names: string[];
  /** "their satisfaction with price and value warrants", "its NPS score and its usage warrant". */
  warrant: (possessive: 'their' | 'its') => string;
}

export function axisWords(delivered: DeliveredValue): AxisWords {
  const titles: string[] = [];
  const names: string[] = [];
  if (delivered.satisfaction !== null) {
    titles.push(`${delivered.satisfaction.label} (0-100)`);
    names.push(delivered.satisfaction.label);
  }
  if (delivered.usage) {
    titles.push('usage (behaviour events per customer-month)');
    names.push('usage');
  }
  const warrant = (possessive: 'their' | 'its'): string => `${possessive} ${names.join(` and ${possessive} `)} ${names.length === 1 ? 'warrants' : 'warrant'}`;
  return { titles, names, warrant };
}

/** "plan Premium", "contract type monthly". */
export function describeSegment(s: Pick<SegmentBalance, 'grouping' | 'level'>): string {
  return `${s.grouping.label} ${s.level}`;
}
