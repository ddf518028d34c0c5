import type { BooleanGuess } from '../types.js';

const PAIRS: readonly [string, string][] = [
  ['yes', 'no'],
  ['true', 'false'],
  ['y', 'n'],
  ['t', 'f'],
  ['1', '0'],
  ['1.0', '0.0'],
];

/**
 * A yes/no column. Both sides of a pair must be seen (a column of only "1"
 * is not evidence), except that `No <something>` values ("No internet
 * service", "No phone service" in the Telco data) count as false beside
 * Yes/No: the customer does not have the feature.
 */
export function guessBoolean(distinctValues: readonly string[]): BooleanGuess | undefined {
  if (distinctValues.length < 2 || distinctValues.length > 4) return undefined;
  const lower = distinctValues.map((v) => v.trim().toLowerCase());
  for (const [yes, no] of PAIRS) {
    if (!lower.includes(yes) || !lower.includes(no)) continue;
    const map: Record<string, boolean> = {};
    let ok = true;
    distinctValues.forEach((v, i) => {
      const l = lower[i] ?? '';
      if (l === yes) map[v.trim()] = true;
      else if (l === no || (yes === 'yes' && /^no [a-z]/.test(l))) map[v.trim()] = false;
      else ok = false;
    });
    if (ok) return { map };
  }
  return undefined;
}
