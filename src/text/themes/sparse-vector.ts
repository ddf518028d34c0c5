/** A sparse vector over phrase keys, L2-normalised where built by `unitVector`. */
export type SparseVector = ReadonlyMap<string, number>;

export function unitVector(weights: Map<string, number>): Map<string, number> {
  let sumSquares = 0;
  for (const value of weights.values()) sumSquares += value * value;
  if (sumSquares === 0) return weights;
  const norm = Math.sqrt(sumSquares);
  for (const [key, value] of weights) weights.set(key, value / norm);
  return weights;
}

export function cosine(a: SparseVector, b: SparseVector): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let dot = 0;
  for (const [key, value] of small) dot += value * (large.get(key) ?? 0);
  return dot;
}

/** The normalised mean of unit vectors: the direction a group of comments shares. */
export function centroid(vectors: readonly SparseVector[]): Map<string, number> {
  const sum = new Map<string, number>();
  for (const vector of vectors) for (const [key, value] of vector) sum.set(key, (sum.get(key) ?? 0) + value);
  return unitVector(sum);
}

/**
 * TF-IDF vectors of comments over their phrases of one and two words
 * (binary term frequency: comments are short, a repeated word is emphasis,
 * not topic), idf = ln((1 + N) / (1 + df)) + 1 as in scikit-learn's smooth idf.
 */
export function tfidfVectors(phraseKeys: readonly (readonly string[])[]): Map<string, number>[] {
  const df = new Map<string, number>();
  for (const keys of phraseKeys) for (const key of new Set(keys)) df.set(key, (df.get(key) ?? 0) + 1);
  const n = phraseKeys.length;
  return phraseKeys.map((keys) => {
    const weights = new Map<string, number>();
    for (const key of new Set(keys)) weights.set(key, Math.log((1 + n) / (1 + (df.get(key) ?? 0))) + 1);
    return unitVector(weights);
  });
}
