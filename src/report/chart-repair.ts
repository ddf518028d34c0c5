import type { Chart } from '../analysis/result.js';

type Json = Record<string, unknown>;

function isObject(x: unknown): x is Json {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function fieldOf(encoding: Json, channel: string): string | null {
  const def = encoding[channel];
  return isObject(def) && typeof def['field'] === 'string' ? def['field'] : null;
}

/**
 * Vega-Lite (5 and 6) throws "Cannot destructure property 'aggregate' of
 * 'fieldDefToSortBy'" on a layered chart whose shared encoding is sorted by
 * another channel (`y: {sort: '-x'}`) while a layer sets that channel to a
 * datum (a reference line at x = 1): that layer has nothing to sort by. The
 * chart such a spec asks for is drawn instead: the shared encoding goes to
 * the layers that encode the sorting channel with a field (a reference line
 * then spans the whole chart, as a datum rule does), sorted explicitly by
 * the field that channel shows in the first of them that is not a range
 * (max per category: the one operation Vega-Lite unions across layers).
 * Returns null for any other spec, so the caller keeps the original error.
 */
export function repairChannelSort(spec: Chart): Chart | null {
  const shared = spec['encoding'];
  const layers = spec['layer'];
  if (!isObject(shared) || !Array.isArray(layers) || !layers.every(isObject)) return null;
  const encodings = layers.map((l) => (isObject(l['encoding']) ? l['encoding'] : {}));
  const sorted = Object.entries(shared).flatMap(([channel, def]) => {
    const sort = isObject(def) ? def['sort'] : undefined;
    const match = typeof sort === 'string' ? /^(-?)([a-z]+)$/.exec(sort) : null;
    const by = match?.[2];
    return match === null || by === undefined || by === channel ? [] : [{ channel, by, descending: match[1] === '-' }];
  });
  const [first] = sorted;
  if (first === undefined || sorted.length > 1) return null;
  const { channel, by, descending } = first;
  const withField = encodings.map((e) => fieldOf(e, by) !== null);
  if (withField.every(Boolean) || !withField.some(Boolean)) return null;
  const field = encodings.map((e) => (e[`${by}2`] === undefined ? fieldOf(e, by) : null)).find((f) => f !== null) ?? encodings.map((e) => fieldOf(e, by)).find((f) => f !== null);
  if (field === undefined || field === null) return null;
  const sharedDef = shared[channel] as Json;
  const moved: Json = { ...shared, [channel]: { ...sharedDef, sort: { field, op: 'max', order: descending ? 'descending' : 'ascending' } } };
  const { encoding: _dropped, ...rest } = spec;
  return {
    ...rest,
    layer: layers.map((layer, i) => (withField[i] === true ? { ...layer, encoding: { ...moved, ...encodings[i] } } : layer)),
  } as Chart;
}
