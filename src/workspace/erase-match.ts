/**
 * How erase and its proof recognise a customer in text: pure functions, no I/O.
 *
 * A needle is one form under which a customer can be stored: the id as the
 * user gives it, its salted hash (when the key column is under `pii: hash`),
 * or an identity key of theirs (a hashed e-mail) from the identity map.
 *
 * Two ways to match, because a short id cannot be searched like a long one:
 * "4" occurs in every amount, date and count, so a customer "4" found as a
 * token in free text would be noise, not proof. So:
 * - a *distinctive* needle (at least DISTINCTIVE_LENGTH characters: hashes,
 *   e-mails, most real ids such as `CUST-00123` or a UUID) is searched as a
 *   whole token anywhere;
 * - every needle, short ones included, is matched as a whole *field*: the
 *   complete value of an id column, a JSON string, or a delimited field of a
 *   raw CSV line (the quarantine keeps rows as raw lines).
 * Matching ignores case and the spaces around a field.
 */

/** Needles this long or longer are searched as tokens in any text. */
export const DISTINCTIVE_LENGTH = 6;

export type NeedleKind = 'id' | 'hashed id' | 'identity key';

export interface Needle {
  /** The customer id as the user gave it. */
  customer: string;
  /** The text searched for. */
  value: string;
  as: NeedleKind;
}

export function isDistinctive(value: string): boolean {
  return [...value].length >= DISTINCTIVE_LENGTH;
}

/** A regular expression literal for `text`, valid in JavaScript and in RE2 (DuckDB, ClickHouse). */
export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// Word characters as RE2 and JavaScript agree on them (ASCII): a token starts and ends at anything else.
const WORD = '0-9A-Za-z_';
// What separates fields: CSV and list punctuation, quotes, line ends. Spaces around a field are ignored.
const FIELD_EDGE = `,;\\t|"'\\[\\]{}\\n\\r`;

function alternation(values: readonly string[]): string {
  // Longest first, so a needle that is a prefix of another never hides it.
  return [...new Set(values)].sort((a, b) => b.length - a.length).map(escapeRegex).join('|');
}

/** A whole-token pattern (no flags) for the distinctive values, or null when none is. */
export function tokenPattern(values: readonly string[]): string | null {
  const distinctive = values.filter(isDistinctive);
  if (distinctive.length === 0) return null;
  return `(?:^|[^${WORD}])(?:${alternation(distinctive)})(?:$|[^${WORD}])`;
}

/** What an erased customer's mention in another row's free text becomes. */
export const ERASED_MARK = '[erased]';

/**
 * The distinctive values as tokens to replace (case aside): the pattern
 * `tokenPattern` finds, with the characters around a token captured so the
 * replacement keeps them; null when no value is distinctive. One pass of a
 * global replace leaves the second of two tokens one character apart (that
 * character went with the first match): run it twice.
 */
export function tokenRedaction(values: readonly string[]): { pattern: string; replacement: string } | null {
  const distinctive = values.filter(isDistinctive);
  if (distinctive.length === 0) return null;
  return { pattern: re2(`(^|[^${WORD}])(?:${alternation(distinctive)})($|[^${WORD}])`), replacement: `\\1${ERASED_MARK}\\2` };
}

/** A whole-field pattern (no flags) for every value, or null when there is none. */
export function fieldPattern(values: readonly string[]): string | null {
  if (values.length === 0) return null;
  return `(?:^|[${FIELD_EDGE}])[ ]*(?:${alternation(values)})[ ]*(?:$|[${FIELD_EDGE}])`;
}

/** The case-insensitive flag as RE2 writes it inside a pattern (DuckDB regexp_matches, ClickHouse match). */
export function re2(pattern: string): string {
  return `(?i)${pattern}`;
}

/** Matchers over one set of needles, compiled once. */
export interface NeedleMatcher {
  needles: readonly Needle[];
  /** The first needle found as a token (distinctive needles only). */
  token(text: string): Needle | undefined;
  /** The first needle that is a whole delimited field of `text` (every needle). */
  field(text: string): Needle | undefined;
  /** The needle `value` is, as a whole value (trimmed, case aside). */
  whole(value: string): Needle | undefined;
  /** A token of a distinctive needle, or a whole field of any needle. */
  any(text: string): Needle | undefined;
}

export function needleMatcher(needles: readonly Needle[]): NeedleMatcher {
  const token = tokenPattern(needles.map((n) => n.value));
  const field = fieldPattern(needles.map((n) => n.value));
  const tokenRe = token === null ? null : new RegExp(token, 'i');
  const fieldRe = field === null ? null : new RegExp(field, 'i');
  const byValue = new Map<string, Needle>();
  for (const n of needles) if (!byValue.has(n.value.toLowerCase())) byValue.set(n.value.toLowerCase(), n);
  const which = (text: string, pattern: (value: string) => string | null): Needle | undefined =>
    needles.find((n) => {
      const p = pattern(n.value);
      return p !== null && new RegExp(p, 'i').test(text);
    });
  const matcher: NeedleMatcher = {
    needles,
    token: (text) => (tokenRe !== null && tokenRe.test(text) ? which(text, (v) => tokenPattern([v])) : undefined),
    field: (text) => (fieldRe !== null && fieldRe.test(text) ? which(text, (v) => fieldPattern([v])) : undefined),
    whole: (value) => byValue.get(value.replace(/^ +| +$/g, '').toLowerCase()),
    any: (text) => matcher.token(text) ?? matcher.field(text),
  };
  return matcher;
}

/** One record of a CSV text: its fields, the line it starts on (1-based) and its exact text. */
export interface CsvRecord {
  fields: string[];
  line: number;
  start: number;
  end: number;
}

/**
 * RFC 4180 records (quoted fields may hold delimiters, doubled quotes and
 * line breaks). Each record keeps the span of its text, so a file can be
 * written back byte for byte without the records taken out.
 */
export function parseCsv(text: string, delimiter = ','): CsvRecord[] {
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let start = 0;
  let line = 1;
  let startLine = 1;
  let i = 0;
  const endRecord = (end: number): void => {
    fields.push(field);
    records.push({ fields, line: startLine, start, end });
    fields = [];
    field = '';
    start = end;
    startLine = line;
  };
  while (i < text.length) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (c === '"') quoted = false;
      else {
        if (c === '\n') line += 1;
        field += c;
      }
      i += 1;
      continue;
    }
    if (c === '"') quoted = true;
    else if (c === delimiter) {
      fields.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      const next = c === '\r' && text[i + 1] === '\n' ? i + 2 : i + 1;
      line += 1;
      endRecord(next);
      i = next;
      continue;
    } else field += c;
    i += 1;
  }
  if (i > start) endRecord(text.length);
  return records;
}

/** The delimiter a CSV header uses: the most frequent of comma, semicolon and tab outside quotes. */
export function guessDelimiter(header: string): string {
  const unquoted = header.replace(/"[^"]*"/g, '');
  const counts = [',', ';', '\t'].map((d) => ({ d, n: unquoted.split(d).length - 1 }));
  return counts.sort((a, b) => b.n - a.n)[0]?.d ?? ',';
}

/** A header that names a column holding customer ids (`customer_id`, `id`, `Referrer ID`, `customer`). */
export function isIdHeader(header: string): boolean {
  return /(^|[^a-z])id$|^id([^a-z]|$)|customer|referr/i.test(header.trim());
}

/**
 * The customer a quarantined record belongs to, if it is one of the needles':
 * a whole field of its raw line (the quarantine keeps no customer column, and
 * a rejected record may never have been resolved to one), or a distinctive
 * needle anywhere in the raw line or the reason's detail.
 */
export function matchQuarantined(matcher: NeedleMatcher, row: { raw: string | null; detail: string | null }): Needle | undefined {
  const raw = row.raw ?? '';
  return matcher.field(raw) ?? matcher.token(raw) ?? matcher.token(row.detail ?? '');
}
