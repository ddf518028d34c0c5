/** The segment and period every page honours (`?segment=&from=&to=`, as the API takes them). */
export interface Filter {
  segment?: string;
  from?: string;
  to?: string;
}

export const FILTER_KEYS = ['segment', 'from', 'to'] as const;

/** The filter of a query string; empty values count as absent, as the API counts them. */
export function filterOf(search: URLSearchParams): Filter {
  const filter: Filter = {};
  for (const key of FILTER_KEYS) {
    const value = search.get(key)?.trim();
    if (value !== undefined && value !== '') filter[key] = value;
  }
  return filter;
}

/** The filter as query parameters, in a fixed order. */
export function filterParams(filter: Filter): URLSearchParams {
  const search = new URLSearchParams();
  for (const key of FILTER_KEYS) {
    const value = filter[key];
    if (value !== undefined) search.set(key, value);
  }
  return search;
}

/** `?segment=...` or the empty string. */
export function filterQuery(filter: Filter): string {
  const text = filterParams(filter).toString();
  return text === '' ? '' : `?${text}`;
}

/** The filter in words, for headings: "segment = retail, 2025-01-01 to 2025-12-31". */
export function filterWords(filter: Filter): string {
  const parts: string[] = [];
  if (filter.segment !== undefined) parts.push(`customers with ${filter.segment}`);
  if (filter.from !== undefined || filter.to !== undefined) parts.push(`${filter.from ?? 'the start'} to ${filter.to ?? 'the end of the data'}`);
  return parts.length === 0 ? 'every customer, the whole period' : parts.join(', ');
}

/** A segment rule narrowed by another: `(a) AND (b)`; the other alone when there is no rule yet. */
export function narrowSegment(current: string | undefined, rule: string): string {
  if (current === undefined || current === rule) return rule;
  return `(${current}) AND (${rule})`;
}
