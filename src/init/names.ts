/** Header text as matched by patterns: lower case, dashes unified, spaces collapsed, `properties.` dropped. */
export function headerKey(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[\u2013\u2014]/g, '-')
    .replace(/\s+/g, ' ')
    .replace(/^properties\./, '');
}

/**
 * A cxray.yaml identifier from a header or a value: `MonthlyCharges` ->
 * `monthly_charges`, `charge_type (metadata)` -> `charge_type`,
 * `Acquisition Channel` -> `acquisition_channel`.
 */
export function snakeName(text: string): string {
  const base = text
    .replace(/\((metadata|utc|in seconds|in hrs|in minutes)\)/gi, ' ')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  const named = base === '' ? 'column' : /^[a-z]/.test(base) ? base : `c_${base}`;
  return named.slice(0, 63).replace(/_+$/, '');
}

/** A label a person reads: `late_fee` -> `Late fee`. */
export function humanLabel(text: string): string {
  const words = text.replace(/[_]+/g, ' ').replace(/\s+/g, ' ').trim();
  return words.length === 0 ? text : words[0]!.toUpperCase() + words.slice(1);
}

/** `base`, or `base_2`, `base_3`... not yet in `taken` (which it joins). */
export function uniqueName(base: string, taken: Set<string>): string {
  let name = base;
  for (let i = 2; taken.has(name); i++) name = `${base.slice(0, 60)}_${i}`;
  taken.add(name);
  return name;
}
