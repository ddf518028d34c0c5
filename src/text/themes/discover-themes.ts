import type { Phrase } from './phrases.js';
import { CUE_WORDS } from './polarity.js';
import type { SparseVector } from './sparse-vector.js';
import { centroid, cosine } from './sparse-vector.js';

/** A comment as discovery sees it. */
export interface DiscoveryDocument {
  phrases: readonly Phrase[];
  vector: SparseVector;
}

export interface DiscoveredCluster {
  /** The phrase the cluster grew from. */
  seed: Phrase;
  /** Indexes into the documents, ascending. */
  members: number[];
}

export interface DiscoveryOptions {
  minSize: number;
  /** Cosine to the cluster's centre for a comment without the seed phrase to join. */
  threshold: number;
  maxClusters: number;
}

/** Rounds of growing a cluster around its centre after seeding it. */
const GROWTH_ROUNDS = 2;

// An opinion word alone ("great", "terrible") says how, not what: no theme grows from it.
function isSeedable(phrase: Phrase): boolean {
  const words = phrase.text.split(' ');
  return !words.every((word) => CUE_WORDS.has(word) || /^\d+$/.test(word)) && phrase.text.length >= 3;
}

/**
 * Emerging themes among comments no concept covers: the most frequent
 * phrase seeds a cluster of the comments containing it; comments whose
 * TF-IDF vector is close to the cluster's centre (cosine at least the
 * threshold) join it, so "showers are freezing" joins "cold water in the
 * showers" through the words they share with the group; the cluster leaves
 * the pool and the next most frequent phrase seeds the next one. This is
 * phrase-seeded clustering in the spirit of Suffix Tree Clustering (Zamir &
 * Etzioni 1998): each cluster is labelled by construction, and the work is
 * linear in the comments per cluster.
 */
export function discoverClusters(documents: readonly DiscoveryDocument[], options: DiscoveryOptions): DiscoveredCluster[] {
  const remaining = new Set(documents.map((_, index) => index));
  const clusters: DiscoveredCluster[] = [];
  const exhausted = new Set<string>();
  while (clusters.length < options.maxClusters) {
    const seed = bestSeed(documents, remaining, exhausted, options.minSize);
    if (seed === null) break;
    const members = new Set([...remaining].filter((index) => documents[index]?.phrases.some((phrase) => phrase.key === seed.key)));
    for (let round = 0; round < GROWTH_ROUNDS; round += 1) {
      const centre = centroid([...members].map((index) => documents[index]?.vector ?? new Map()));
      for (const index of remaining) {
        const document = documents[index];
        if (document !== undefined && !members.has(index) && cosine(document.vector, centre) >= options.threshold) members.add(index);
      }
    }
    if (members.size < options.minSize) {
      exhausted.add(seed.key);
      continue;
    }
    for (const index of members) remaining.delete(index);
    clusters.push({ seed, members: [...members].sort((a, b) => a - b) });
  }
  return clusters;
}

function bestSeed(documents: readonly DiscoveryDocument[], remaining: ReadonlySet<number>, exhausted: ReadonlySet<string>, minSize: number): Phrase | null {
  const counts = new Map<string, { phrase: Phrase; count: number }>();
  for (const index of remaining) {
    for (const phrase of documents[index]?.phrases ?? []) {
      if (exhausted.has(phrase.key) || !isSeedable(phrase)) continue;
      const entry = counts.get(phrase.key);
      if (entry === undefined) counts.set(phrase.key, { phrase, count: 1 });
      else entry.count += 1;
    }
  }
  let best: { phrase: Phrase; count: number } | null = null;
  for (const entry of counts.values()) {
    if (entry.count < minSize) continue;
    if (
      best === null ||
      entry.count > best.count ||
      (entry.count === best.count && (entry.phrase.length > best.phrase.length || (entry.phrase.length === best.phrase.length && entry.phrase.key < best.phrase.key)))
    ) {
      best = entry;
    }
  }
  return best?.phrase ?? null;
}
