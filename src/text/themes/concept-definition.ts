/**
 * A customer-experience concept: what comments talk about, in the words
 * customers use. A comment matches the concept when it contains one of the
 * terms (by stem, so "crash", "crashes" and "crashing" are one term).
 * `terms` are specific to the concept; `weakTerms` are words that lean
 * towards it but also mean other things ("fee" is billing or price, "wait"
 * is support or delivery): they count less and only decide when nothing
 * specific is said.
 */
export interface ConceptDefinition {
  key: string;
  label: string;
  /** The experience area (cxray.yaml experience_areas key) the concept feeds, if any. */
  area: string | null;
  /** Label of the concept's complaints and of its praise ("Slow or unresolved support" / "Quick, effective support"). */
  negativeLabel?: string;
  positiveLabel?: string;
  terms: readonly string[];
  weakTerms: readonly string[];
}

/**
 * One entry of cxray.yaml's `comment_themes`: a new concept (needs `terms`)
 * or changes to a built-in one (label, area, more terms, or `replace: true`
 * to use only the terms given, or `enabled: false` to drop it).
 */
export interface ConceptOverride {
  label?: string;
  area?: string | null;
  negative_label?: string;
  positive_label?: string;
  terms?: readonly string[];
  weak_terms?: readonly string[];
  replace?: boolean;
  enabled?: boolean;
}

/** Weight of a specific term and of a weak one in a concept's score. */
export const TERM_WEIGHT = 1;
export const WEAK_TERM_WEIGHT = 0.4;
