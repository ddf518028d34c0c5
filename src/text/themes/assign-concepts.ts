import type { AnalyzedComment } from './analyze-comments.js';
import { hitPolarity } from './comment-polarity.js';
import type { ConceptDefinition } from './concept-definition.js';
import { TERM_WEIGHT } from './concept-definition.js';
import type { Polarity } from './polarity.js';
import type { ThemePolarity } from './theme-types.js';

/** A concept theme before its phrases and samples: one polarity facet of a concept, or the whole concept. */
export interface ConceptTheme {
  key: string;
  concept: ConceptDefinition;
  polarity: ThemePolarity;
  members: number[];
}

export interface ConceptAssignment {
  themes: ConceptTheme[];
  /** Per comment (same order as given): primary theme key, or null. */
  primary: (string | null)[];
  /** Per comment: other concept themes it names with a specific term, best first. */
  secondary: string[][];
}

const FACETS: readonly Polarity[] = ['negative', 'positive', 'neutral'];
/** A theme of mixed comments takes the polarity held by at least this share. */
export const POLARITY_MAJORITY = 2 / 3;

function isOpposite(a: Polarity, b: Polarity): boolean {
  return (a === 'positive' && b === 'negative') || (a === 'negative' && b === 'positive');
}

export function majorityPolarity(polarities: readonly Polarity[]): ThemePolarity {
  for (const facet of FACETS) {
    if (polarities.filter((polarity) => polarity === facet).length >= POLARITY_MAJORITY * polarities.length) return facet;
  }
  return 'mixed';
}

/**
 * Gives each comment its best concept, then splits each concept into its
 * complaints, praise and neutral mentions. A concept with fewer than
 * `minSize` comments is dropped and its comments go to their next concept
 * (smallest first, one at a time, as sizes change); a facet below `minSize`
 * joins its concept's largest facet; the concept stays one theme when no
 * facet is large enough, or when a third or more of its largest facet would
 * then say the opposite.
 */
export function assignConcepts(comments: readonly AnalyzedComment[], concepts: readonly ConceptDefinition[], minSize: number): ConceptAssignment {
  const byKey = new Map(concepts.map((definition) => [definition.key, definition]));
  const eligible = new Set(concepts.map((definition) => definition.key));
  // A comment whose best concept is dropped moves to its next one only on specific
  // evidence, or when the next one was as good (a tie broken by position).
  const bestHit = (comment: AnalyzedComment) =>
    comment.hits.find((hit) => eligible.has(hit.concept) && (hit.score >= TERM_WEIGHT || hit.score >= (comment.hits[0]?.score ?? 0)));
  for (;;) {
    const counts = new Map<string, number>();
    for (const comment of comments) {
      const hit = bestHit(comment);
      if (hit !== undefined) counts.set(hit.concept, (counts.get(hit.concept) ?? 0) + 1);
    }
    for (const key of eligible) if (!counts.has(key)) eligible.delete(key);
    const failing = [...counts].filter(([, count]) => count < minSize).sort(([ka, a], [kb, b]) => a - b || (ka < kb ? -1 : 1));
    const smallest = failing[0];
    if (smallest === undefined) break;
    eligible.delete(smallest[0]);
  }

  const facetMembers = new Map<string, Map<Polarity, number[]>>();
  const facetOf: (Polarity | null)[] = comments.map((comment, index) => {
    const hit = bestHit(comment);
    if (hit === undefined) return null;
    const polarity = hitPolarity(comment, hit);
    const facets = facetMembers.get(hit.concept) ?? new Map<Polarity, number[]>();
    facets.set(polarity, [...(facets.get(polarity) ?? []), index]);
    facetMembers.set(hit.concept, facets);
    return polarity;
  });

  const themes: ConceptTheme[] = [];
  /** Concept -> facet -> theme key. */
  const themeKeyOf = new Map<string, Map<Polarity, string>>();
  for (const key of [...facetMembers.keys()].sort()) {
    const concept = byKey.get(key);
    const facets = facetMembers.get(key);
    if (concept === undefined || facets === undefined) continue;
    const sizeOf = (facet: Polarity): number => facets.get(facet)?.length ?? 0;
    let surviving = FACETS.filter((facet) => sizeOf(facet) >= minSize);
    const largest = [...surviving].sort((a, b) => sizeOf(b) - sizeOf(a) || FACETS.indexOf(a) - FACETS.indexOf(b))[0];
    if (largest !== undefined) {
      // Praise folded into complaints (or the reverse) must not pass for them when it is a third or more:
      // then the concept is one mixed theme.
      const absorbed = FACETS.filter((facet) => !surviving.includes(facet));
      const opposite = absorbed.filter((facet) => isOpposite(facet, largest)).reduce((sum, facet) => sum + sizeOf(facet), 0);
      const absorbing = sizeOf(largest) + absorbed.reduce((sum, facet) => sum + sizeOf(facet), 0);
      if (opposite > (1 - POLARITY_MAJORITY) * absorbing) surviving = [];
    }
    const keys = new Map<Polarity, string>();
    if (surviving.length === 0 || largest === undefined) {
      const members = FACETS.flatMap((facet) => facets.get(facet) ?? []).sort((a, b) => a - b);
      const polarity = majorityPolarity(members.map((index) => facetOf[index] ?? 'neutral'));
      themes.push({ key, concept, polarity, members });
      for (const facet of FACETS) keys.set(facet, key);
    } else {
      for (const facet of surviving) {
        const members = [...(facets.get(facet) ?? [])];
        if (facet === largest) for (const other of FACETS) if (!surviving.includes(other)) members.push(...(facets.get(other) ?? []));
        themes.push({ key: `${key}.${facet}`, concept, polarity: facet, members: members.sort((a, b) => a - b) });
      }
      for (const facet of FACETS) keys.set(facet, `${key}.${surviving.includes(facet) ? facet : largest}`);
    }
    themeKeyOf.set(key, keys);
  }

  const primary: (string | null)[] = comments.map((comment, index) => {
    const hit = bestHit(comment);
    return hit === undefined ? null : themeKeyOf.get(hit.concept)?.get(facetOf[index] ?? 'neutral') ?? null;
  });
  const secondary = comments.map((comment, index) => {
    const out: string[] = [];
    for (const hit of comment.hits) {
      if (hit.strongest < TERM_WEIGHT) continue;
      const theme = themeKeyOf.get(hit.concept)?.get(hitPolarity(comment, hit));
      if (theme !== undefined && theme !== primary[index] && !out.includes(theme)) out.push(theme);
    }
    return out;
  });
  return { themes, primary, secondary };
}
