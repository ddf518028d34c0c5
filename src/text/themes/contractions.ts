/**
 * English contractions as their full words, so that "can't", "cant" and
 * "cannot" all end as "can not" and negation is one token ("not") however it
 * was typed. Apostrophe-less forms are listed only where they are not also
 * words ("wont" and "ill" are, so "won't" needs its apostrophe).
 */
const WHOLE: Readonly<Record<string, string>> = {
  "can't": 'can not', cant: 'can not', cannot: 'can not', "won't": 'will not', "shan't": 'shall not',
  "ain't": 'is not', aint: 'is not', dont: 'do not', doesnt: 'does not', didnt: 'did not', isnt: 'is not',
  arent: 'are not', wasnt: 'was not', werent: 'were not', havent: 'have not', hasnt: 'has not', hadnt: 'had not',
  couldnt: 'could not', shouldnt: 'should not', wouldnt: 'would not', wouldve: 'would have', im: 'i am',
  ive: 'i have', "y'all": 'you all', "o'clock": 'oclock',
};

const SUFFIXES: readonly (readonly [string, string])[] = [
  ["n't", ' not'],
  ["'re", ' are'],
  ["'ve", ' have'],
  ["'ll", ' will'],
  ["'m", ' am'],
  ["'d", ' would'],
  // Possessive or "is": neither carries a theme, so it goes.
  ["'s", ''],
];

/** The words a (lower-case) token stands for; a token without a contraction stands for itself. */
export function expandContraction(token: string): string[] {
  const whole = WHOLE[token];
  if (whole !== undefined) return whole.split(' ');
  for (const [suffix, replacement] of SUFFIXES) {
    if (token.length > suffix.length && token.endsWith(suffix)) {
      const base = token.slice(0, -suffix.length);
      return `${base}${replacement}`.split(' ').filter((word) => word.length > 0);
    }
  }
  return token.includes("'") ? token.split("'").filter((word) => word.length > 0) : [token];
}
