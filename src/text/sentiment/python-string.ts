/**
 * The few Python 3 `str` behaviours VADER 3.3.2 leans on, reproduced exactly
 * where JavaScript's built-ins differ: `str.isspace` (and so `split()` and
 * `strip()`) counts \x1c-\x1f and \x85 as space but not \ufeff, `isupper` is
 * defined over Unicode case properties, `strip(chars)` removes a character set
 * rather than a pattern, and `len` counts code points, not UTF-16 units.
 */

// Python's str.isspace(): bidirectional class WS, B or S, or category Zs.
const PYTHON_SPACE = /[\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/u;
const PYTHON_SPACE_RUN = /[\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/u;
const LEADING_SPACE = /^[\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/u;
const TRAILING_SPACE = /[\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/u;

/** Python's `string.punctuation`. */
export const PYTHON_PUNCTUATION = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';

// CPython's _PyUnicode_IsLowercase / IsUppercase read the derived Lowercase and
// Uppercase properties; IsTitlecase reads category Lt.
const LOWER_OR_TITLE = /[\p{Lowercase}\p{Lt}]/u;
const UPPER = /\p{Uppercase}/u;

export function isPythonSpace(char: string): boolean {
  return PYTHON_SPACE.test(char);
}

/** `text.split()`: runs of whitespace separate, empty pieces dropped. */
export function pythonSplit(text: string): string[] {
  return text.split(PYTHON_SPACE_RUN).filter((piece) => piece.length > 0);
}

/** `text.strip()` with no argument. */
export function pythonStrip(text: string): string {
  return text.replace(LEADING_SPACE, '').replace(TRAILING_SPACE, '');
}

/** `text.strip(chars)`: drops any of `chars` from both ends. */
export function pythonStripChars(text: string, chars: string): string {
  const drop = new Set(Array.from(chars));
  const points = Array.from(text);
  let start = 0;
  let end = points.length;
  while (start < end && drop.has(points[start] ?? '')) start += 1;
  while (end > start && drop.has(points[end - 1] ?? '')) end -= 1;
  return points.slice(start, end).join('');
}

/** `len(text)`: code points. */
export function pythonLength(text: string): number {
  let count = 0;
  for (const _ of text) count += 1;
  return count;
}

/** `text.isupper()`: some cased character, and none lowercase or titlecase. */
export function pythonIsUpper(text: string): boolean {
  let cased = false;
  for (const char of text) {
    if (LOWER_OR_TITLE.test(char)) return false;
    if (!cased && UPPER.test(char)) cased = true;
  }
  return cased;
}

/** `text.count(sub)` for a one-character `sub`. */
export function pythonCountChar(text: string, char: string): number {
  let count = 0;
  for (const c of text) if (c === char) count += 1;
  return count;
}
