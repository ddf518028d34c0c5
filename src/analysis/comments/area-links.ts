import type { CxrayConfig } from '../../config/schema.js';

/** How a theme is linked to one of cxray.yaml's experience_areas. */
export interface AreaLink {
  /** The experience_areas key, null when none matches. */
  key: string | null;
  label: string | null;
  /** `key`: the theme's area is an experience_areas key; `name`: it is an area's label or survey area; `words`: they share words; `none`: no area matches; `no_area`: the theme has no area (an emerging theme). */
  how: 'key' | 'name' | 'words' | 'none' | 'no_area';
}

/**
 * Words of the built-in concepts' areas (src/text/themes/builtin-concepts.ts)
 * that a company's own areas are often named with: a company calls its
 * `digital` area "Mobile app and website", its `onboarding` "Getting
 * started". Matched by word, so "Stores and staff" meets `staff` and
 * `store`, whatever the key.
 */
const AREA_WORDS: Readonly<Record<string, readonly string[]>> = {
  billing: ['billing', 'bill', 'invoice', 'payment', 'charge', 'statement'],
  price: ['price', 'pricing', 'value', 'cost', 'tariff', 'fee'],
  support: ['support', 'service', 'help', 'care', 'contact', 'helpdesk', 'assistance'],
  staff: ['staff', 'people', 'employee', 'team', 'agent', 'personnel', 'advisor'],
  digital: ['digital', 'app', 'website', 'web', 'online', 'mobile', 'portal', 'self-service'],
  network: ['network', 'coverage', 'signal', 'connection', 'connectivity', 'reliability', 'outage'],
  onboarding: ['onboarding', 'setup', 'start', 'started', 'activation', 'signup', 'welcome', 'installation'],
  communication: ['communication', 'information', 'offer', 'message', 'newsletter', 'marketing', 'notification'],
  delivery: ['delivery', 'shipping', 'courier', 'dispatch', 'logistics'],
  product: ['product', 'quality', 'range', 'feature', 'assortment', 'catalogue'],
  returns: ['return', 'refund', 'exchange'],
  contract: ['contract', 'cancellation', 'cancel', 'renewal', 'termination', 'commitment'],
  store: ['store', 'shop', 'branch', 'outlet', 'showroom'],
  trust: ['trust', 'security', 'privacy', 'honesty', 'fraud', 'safety'],
  loyalty: ['loyalty', 'reward', 'perk', 'member', 'membership'],
};

/** Words that name no area on their own. */
const GENERIC = new Set(['and', 'or', 'the', 'of', 'a', 'an', 'to', 'for', 'with', 'in', 'on', 'our', 'your', 'customer', 'customers', 'client', 'experience', 'overall', 'general', 'other']);

/** Lower-case words, a plural's final s dropped (stores -> store, payments -> payment), generic words left out. */
function wordsOf(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}-]+/u)
    .flatMap((w) => w.split('_'))
    .filter((w) => w.length > 1 && !GENERIC.has(w))
    .map((w) => (w.length > 3 && w.endsWith('s') && !w.endsWith('ss') ? w.slice(0, -1) : w));
}

const normalised = (text: string): string => wordsOf(text).join(' ');

/** One of the area's words, or two of the concept label's: one label word ("service" in "Network and service reliability") is too loose a link. */
const MIN_SCORE = 2;

/**
 * The experience area a theme feeds: its concept's area (an area key of the
 * built-in lexicon, or whatever `comment_themes.<key>.area` says) matched to
 * cxray.yaml's experience_areas by key; else by an area's label or survey
 * area naming it; else by shared words: the area's own words and the words
 * it is often named with (AREA_WORDS) count twice, the words of the
 * concept's label ("App and website") once. The best score of at least 2
 * wins, ties going to the area listed first; else no link, said as such.
 *
 * @example
 * linkThemeArea('digital', 'App and website', { mobile_app_and_website: { label: 'Mobile app and website' } })
 * // { key: 'mobile_app_and_website', label: 'Mobile app and website', how: 'words' }
 */
export function linkThemeArea(area: string | null, conceptLabel: string | null, areas: CxrayConfig['experience_areas']): AreaLink {
  if (area === null || area.trim() === '') return { key: null, label: null, how: 'no_area' };
  const entries = Object.entries(areas);
  const labelOf = (key: string): string => areas[key]?.label ?? key;
  if (areas[area] !== undefined) return { key: area, label: labelOf(area), how: 'key' };
  const name = normalised(area);
  const named = entries.find(([key, spec]) => [key, spec.label ?? '', ...(spec.survey_areas ?? [])].some((n) => n !== '' && normalised(n) === name));
  if (named !== undefined && name !== '') return { key: named[0], label: labelOf(named[0]), how: 'name' };

  const strong = new Set([...wordsOf(area), ...(AREA_WORDS[area] ?? []).flatMap(wordsOf)]);
  const weak = new Set(conceptLabel === null ? [] : wordsOf(conceptLabel));
  let best: { key: string; score: number } | null = null;
  for (const [key, spec] of entries) {
    const own = new Set([key, spec.label ?? '', ...(spec.survey_areas ?? [])].flatMap(wordsOf));
    let score = 0;
    for (const word of own) score += strong.has(word) ? 2 : weak.has(word) ? 1 : 0;
    if (score >= MIN_SCORE && (best === null || score > best.score)) best = { key, score };
  }
  return best === null ? { key: null, label: null, how: 'none' } : { key: best.key, label: labelOf(best.key), how: 'words' };
}
