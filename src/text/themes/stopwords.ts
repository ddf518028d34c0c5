/**
 * Words that carry no theme: function words (after the usual English lists,
 * e.g. NLTK's) and the filler of survey answers ("please", "really", "also").
 * They end a candidate phrase (RAKE's rule) and never seed a discovered
 * theme, but lexicon terms may still contain them ("on hold", "too much").
 */
export const STOPWORDS: ReadonlySet<string> = new Set(
  `a about above after again against all almost along already also although always am among an and another any anybody
  anyhow anymore anyone anything anyway anywhere are around as at away back be became because become been before
  being below between both but by came can come comes could did do does doing done down during each either else
  enough etc even ever every everybody everyone everything everywhere few for from further get gets getting got gotten
  had has have having he her here hers herself him himself his how however i if in into is it its itself just keep
  keeps kept least less let lets like lot lots make makes many may me might mine more most much must my myself
  neither nor now of off often ok okay on once one only onto or other others otherwise our ours ourselves out over
  own per perhaps please pretty quite rather really said same say says see seem seems several shall she should since so
  some somebody someone something sometimes somewhat still such than thank thanks that the their theirs them themselves
  then there therefore these they thing things this those though through thus to together too toward towards under
  until up upon us use used very via was way we well were what whatever when whenever where whether which while who
  whoever whole whom whose why will with within would yes yet you your yours yourself yourselves also anyways
  actually basically definitely especially literally maybe simply totally truly hi hello dear regards cheers
  hmm oh ah lol tbh btw pls plz ps`
    .split(/\s+/)
    .filter((word) => word.length > 0),
);

/**
 * Words that negate what follows. Negation never stops a concept from
 * matching ("not friendly" is still about staff); it only turns the polarity.
 */
export const NEGATORS: ReadonlySet<string> = new Set([
  'not', 'no', 'never', 'nobody', 'noone', 'nothing', 'none', 'nowhere', 'without', 'hardly', 'barely', 'lack', 'lacks', 'lacking',
]);

/** Words after which the writer turns to a contrasting point: a new clause for polarity. */
export const CONTRAST_WORDS: ReadonlySet<string> = new Set(['but', 'however', 'although', 'though', 'whereas', 'except']);

/**
 * Openers that frame a comment and say nothing about its subject. Masked
 * before matching, or "to be honest" would read as a comment about honesty.
 */
export const DISCOURSE_MARKERS: readonly string[] = [
  'to be honest', 'to be fair', 'in all honesty', 'honestly', 'frankly', 'to tell the truth', 'in my opinion',
  'overall', 'all in all', 'in general', 'generally speaking', 'at the end of the day', 'tbh', 'imo', 'imho',
];

export function isStopword(word: string): boolean {
  return STOPWORDS.has(word) || NEGATORS.has(word);
}
