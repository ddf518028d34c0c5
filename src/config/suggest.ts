/**
 * "Did you mean" for misspelt keys and values: the nearest candidate by edit
 * distance, compared case-insensitively, with adjacent transpositions
 * counting as one edit (optimal string alignment), because `delimter` and
 * `dym` are the typos people actually make.
 */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  const rows = s.length + 1;
  const cols = t.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  const at = (i: number, j: number): number => d[i]?.[j] ?? Number.POSITIVE_INFINITY;
  for (let i = 1; i < rows; i++) {
    const row = d[i];
    if (row === undefined) continue;
    for (let j = 1; j < cols; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) best = Math.min(best, at(i - 2, j - 2) + 1);
      row[j] = best;
    }
  }
  return at(rows - 1, cols - 1);
}

/**
 * The candidate nearest to `word`, or undefined when none is close enough to
 * be a plausible typo (at most a third of the word's length, and at least 2).
 */
export function nearest(word: string, candidates: Iterable<string>): string | undefined {
  const limit = Math.max(2, Math.floor(word.length / 3));
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const distance = editDistance(word, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= limit ? best : undefined;
}

/** The parts of a zod schema definition the key walk needs (zod 4 `_zod.def`). */
interface SchemaDef {
  type: string;
  shape?: Record<string, SchemaNode>;
  valueType?: SchemaNode;
  element?: SchemaNode;
  options?: readonly SchemaNode[];
  innerType?: SchemaNode;
  in?: SchemaNode;
  values?: readonly unknown[];
  entries?: Record<string, unknown>;
}
interface SchemaNode {
  _zod: { def: SchemaDef };
}

function unwrap(node: SchemaNode): SchemaNode[] {
  const def = node._zod.def;
  if (def.innerType !== undefined) return unwrap(def.innerType);
  if (def.type === 'pipe' && def.in !== undefined) return unwrap(def.in);
  if (def.type === 'union' && def.options !== undefined) return def.options.flatMap(unwrap);
  return [node];
}

function childrenAt(node: SchemaNode, segment: string | number): SchemaNode[] {
  return unwrap(node).flatMap((n) => {
    const def = n._zod.def;
    if (def.type === 'object' && typeof segment === 'string') {
      const child = def.shape?.[segment];
      return child === undefined ? [] : [child];
    }
    if (def.type === 'record' && def.valueType !== undefined) return [def.valueType];
    if (def.type === 'array' && def.element !== undefined && typeof segment === 'number') return [def.element];
    if (def.type === 'tuple') return [];
    return [];
  });
}

/**
 * The keys a schema accepts at `path` (object keys of every union branch
 * there), for "did you mean" on unknown keys. Empty when the path leads to
 * no object.
 */
export function validKeysAt(schema: unknown, path: readonly (string | number)[]): string[] {
  let nodes: SchemaNode[] = [schema as SchemaNode];
  for (const segment of path) nodes = nodes.flatMap((n) => childrenAt(n, segment));
  const keys = new Set<string>();
  for (const n of nodes.flatMap(unwrap)) {
    const def = n._zod.def;
    if (def.type === 'object' && def.shape !== undefined) for (const k of Object.keys(def.shape)) keys.add(k);
  }
  return [...keys];
}
