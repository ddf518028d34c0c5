/**
 * VADER 3.3.2's word lists and empirically derived constants (Hutto & Gilbert
 * 2014, Table 3 and the reference implementation), transcribed unchanged.
 */

/** Mean intensity change a booster ("very") adds, and a dampener ("kind of") removes. */
export const B_INCR = 0.293;
export const B_DECR = -0.293;
/** Mean intensity change of an ALL-CAPS word in mixed-case text. */
export const C_INCR = 0.733;
/** Multiplier a negation applies to a valence. */
export const N_SCALAR = -0.74;
/** Normalisation constant: compound = s / sqrt(s^2 + alpha). */
export const ALPHA = 15;

export const NEGATE: ReadonlySet<string> = new Set([
  'aint', 'arent', 'cannot', 'cant', 'couldnt', 'darent', 'didnt', 'doesnt',
  "ain't", "aren't", "can't", "couldn't", "daren't", "didn't", "doesn't",
  'dont', 'hadnt', 'hasnt', 'havent', 'isnt', 'mightnt', 'mustnt', 'neither',
  "don't", "hadn't", "hasn't", "haven't", "isn't", "mightn't", "mustn't",
  'neednt', "needn't", 'never', 'none', 'nope', 'nor', 'not', 'nothing', 'nowhere',
  'oughtnt', 'shant', 'shouldnt', 'uhuh', 'wasnt', 'werent',
  "oughtn't", "shan't", "shouldn't", 'uh-uh', "wasn't", "weren't",
  'without', 'wont', 'wouldnt', "won't", "wouldn't", 'rarely', 'seldom', 'despite',
]);

const BOOSTERS = [
  'absolutely', 'amazingly', 'awfully', 'completely', 'considerable', 'considerably',
  'decidedly', 'deeply', 'effing', 'enormous', 'enormously', 'entirely', 'especially',
  'exceptional', 'exceptionally', 'extreme', 'extremely', 'fabulously', 'flipping',
  'flippin', 'frackin', 'fracking', 'fricking', 'frickin', 'frigging', 'friggin', 'fully',
  'fuckin', 'fucking', 'fuggin', 'fugging', 'greatly', 'hella', 'highly', 'hugely',
  'incredible', 'incredibly', 'intensely', 'major', 'majorly', 'more', 'most',
  'particularly', 'purely', 'quite', 'really', 'remarkably', 'so', 'substantially',
  'thoroughly', 'total', 'totally', 'tremendous', 'tremendously', 'uber', 'unbelievably',
  'unusually', 'utter', 'utterly', 'very',
];
const DAMPENERS = [
  'almost', 'barely', 'hardly', 'just enough', 'kind of', 'kinda', 'kindof', 'kind-of',
  'less', 'little', 'marginal', 'marginally', 'occasional', 'occasionally', 'partly',
  'scarce', 'scarcely', 'slight', 'slightly', 'somewhat', 'sort of', 'sorta', 'sortof', 'sort-of',
];

/** Booster and dampener words (degree adverbs) with their scalar. */
export const BOOSTER_DICT: ReadonlyMap<string, number> = new Map([
  ...BOOSTERS.map((word): [string, number] => [word, B_INCR]),
  ...DAMPENERS.map((word): [string, number] => [word, B_DECR]),
]);

/**
 * Idioms and phrases containing lexicon words, with the valence that replaces
 * the word's own. 3.3.2 has "beating heart": 3.5 and no "broken heart"; later
 * commits on the repository's main branch changed them to 3.1 and -2.9, and
 * 3.3.2's published outputs (e.g. a movie snippet with "beating heart" scoring
 * 0.926) need 3.5. "badass" can never match: idioms are looked up as two or
 * three tokens.
 */
export const SPECIAL_CASES: ReadonlyMap<string, number> = new Map([
  ['the shit', 3], ['the bomb', 3], ['bad ass', 1.5], ['badass', 1.5], ['bus stop', 0.0],
  ['yeah right', -2], ['kiss of death', -1.5], ['to die for', 3], ['beating heart', 3.5],
]);

// 3.3.2 also declares SENTIMENT_LADEN_IDIOMS ("cut the mustard", "in the red",
// ...) with a check marked "future work, not yet implemented" that
// polarity_scores never calls, and a commented-out rule making "least" a
// negation in negated(). Both stay out, as in the reference, so they are not
// transcribed here.
