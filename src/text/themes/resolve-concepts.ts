import { UserError } from '../../errors.js';
import { BUILTIN_CONCEPTS } from './builtin-concepts.js';
import type { ConceptDefinition, ConceptOverride } from './concept-definition.js';
import { phraseStems } from './phrase-matcher.js';
import { isStopword } from './stopwords.js';

const KEY = /^[a-z][a-z0-9_]{0,62}$/;

function invalid(message: string, hint: string): UserError {
  return new UserError('comment_themes_invalid', message, { hint });
}

function checkTerms(key: string, field: string, terms: readonly unknown[]): void {
  for (const term of terms) {
    if (typeof term !== 'string') throw invalid(`comment_themes.${key}.${field} holds a non-text term.`, 'Write each term as text, e.g. "late delivery".');
    const stems = phraseStems(term);
    if (stems.length === 0) {
      throw invalid(`comment_themes.${key}.${field} has the term "${term}", which has no words.`, 'Write terms as words customers use, e.g. "hold time".');
    }
    const words = term.trim().split(/\s+/);
    if (words.length === 1 && isStopword(words[0]?.toLowerCase() ?? '')) {
      throw invalid(
        `comment_themes.${key}.${field} has the term "${term}", a word in almost every comment.`,
        'Use a word or phrase specific to the theme, e.g. "parking" or "too long".',
      );
    }
  }
}

/**
 * The concepts in force: the built-in lexicon with cxray.yaml's
 * `comment_themes` applied. A key not built in is a new concept and needs
 * `terms`; a built-in key takes the label, area and labels given, adds the
 * terms given (or uses only them with `replace: true`), or is dropped with
 * `enabled: false`. Sorted by key, so that ties break the same way always.
 *
 * @example resolveConcepts({ parking: { label: 'Parking', area: 'store', terms: ['parking', 'car park'] } })
 */
export function resolveConcepts(
  overrides: Readonly<Record<string, ConceptOverride>> = {},
  builtin: readonly ConceptDefinition[] = BUILTIN_CONCEPTS,
): ConceptDefinition[] {
  const byKey = new Map(builtin.map((definition) => [definition.key, definition]));
  for (const [key, override] of Object.entries(overrides)) {
    if (!KEY.test(key)) {
      throw invalid(`comment_themes has the key "${key}".`, 'Name themes in lower case with letters, digits and underscores, e.g. late_delivery.');
    }
    checkTerms(key, 'terms', override.terms ?? []);
    checkTerms(key, 'weak_terms', override.weak_terms ?? []);
    const base = byKey.get(key);
    if (override.enabled === false) {
      byKey.delete(key);
      continue;
    }
    const replace = override.replace === true || base === undefined;
    const terms = [...(replace ? [] : base.terms), ...(override.terms ?? [])];
    const weakTerms = [...(replace ? [] : base.weakTerms), ...(override.weak_terms ?? [])];
    if (terms.length === 0 && weakTerms.length === 0) {
      throw invalid(
        `comment_themes.${key} has no terms${base === undefined ? ' and is not a built-in theme' : ''}.`,
        `Give comment_themes.${key}.terms the words customers use for it, e.g. terms: [parking, car park].`,
      );
    }
    const label = override.label ?? base?.label ?? key.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase());
    const relabelled = override.label !== undefined;
    const definition: ConceptDefinition = {
      key,
      label,
      area: override.area !== undefined ? override.area : base?.area ?? null,
      terms,
      weakTerms,
    };
    // A new label makes the built-in complaint/praise labels stale unless they are given too.
    const negativeLabel = override.negative_label ?? (relabelled ? undefined : base?.negativeLabel);
    const positiveLabel = override.positive_label ?? (relabelled ? undefined : base?.positiveLabel);
    if (negativeLabel !== undefined) definition.negativeLabel = negativeLabel;
    if (positiveLabel !== undefined) definition.positiveLabel = positiveLabel;
    byKey.set(key, definition);
  }
  return [...byKey.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
