/** Abbreviations after which a full stop does not end a sentence. */
const ABBREVIATIONS = /(?:\b(?:e\.g|i\.e|vs|etc|approx|cf)\.)$/i;

/**
 * The sentences of an analysis's text: split after `.`, `!` or `?` followed
 * by a space and a capital, a digit or an opening bracket. Decimals (`1.5`),
 * amounts (`$1,068.50`) and the usual abbreviations do not split.
 */
export function sentences(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  const boundary = /[.!?][)"”’]?\s+(?=[A-Z0-9(“"$€£−-])/g;
  for (const m of text.matchAll(boundary)) {
    const end = (m.index ?? 0) + m[0].trimEnd().length;
    if (ABBREVIATIONS.test(text.slice(start, end))) continue;
    out.push(text.slice(start, end).trim());
    start = (m.index ?? 0) + m[0].length;
  }
  const rest = text.slice(start).trim();
  if (rest.length > 0) out.push(rest);
  return out;
}

/** The first sentence of a text that states an interval (`% CI`), else null. */
export function sentenceWithInterval(text: string): string | null {
  return sentences(text).find((s) => /\d+% CI\b/.test(s)) ?? null;
}
