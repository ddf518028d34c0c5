/**
 * Column names built from user text (fee categories) and user keys
 * (behaviours, attributes) must be valid, readable and unique. Names are
 * claimed in a fixed order, so the same config always gives the same names.
 */

/** `"Late Fee (EUR)"` -> `late_fee_eur`; accents dropped; never empty. */
export function snakeCase(text: string): string {
  const plain = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return plain.length > 0 ? plain : 'unnamed';
}

export class ColumnNames {
  private readonly taken = new Set<string>();

  /** Claims `wanted`, or `wanted_2`, `wanted_3`, ... when taken. */
  claim(wanted: string): string {
    let name = wanted;
    for (let n = 2; this.taken.has(name); n += 1) name = `${wanted}_${n}`;
    this.taken.add(name);
    return name;
  }

  has(name: string): boolean {
    return this.taken.has(name);
  }
}
