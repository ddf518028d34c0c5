/**
 * Hostile strings for the quoting contract: each must survive as a value
 * (bound and literal) and as an identifier (table and column name) byte for
 * byte, and none may run a statement of its own. Injection payloads aim at
 * the sentinel tables, which the conformance suite checks afterwards.
 *
 * Built deterministically (hand-written entries, fixed combinations, and a
 * seeded generator), so a failure names the same entry on every run.
 */

/** Tables the payloads try to drop or write to; the suite creates them with one row each. */
export const SENTINEL_TABLES = ['cxray_sentinel', 't'] as const;

const LONG = 10_000;

const QUOTES = [
  "'", '"', '`', "''", '""', '``', "'''", '"""', "\\'", '\\"', '\\`', "\\\\'", "\\''", "'\\", '"\\', "'\"", "\"'", "`'\"",
  "a'b", 'a"b', 'a`b', "O'Brien", "it''s", '\\', '\\\\', 'a\\', '\\\\\\\\\'', "\\'; --", "'; --", '"; --',
];

const COMMENTS = [
  '--', '-- comment', '/*', '*/', '/* x */', 'a--b', 'a/*b*/c', '/*/', '/* /* nested */', '*/ DROP TABLE cxray_sentinel; /*',
  '#', '# comment', '//', 'x -- y\nz', '/*+ hint */',
];

const STACKED = [
  "x'; DROP TABLE t; --",
  "x'; DROP TABLE cxray_sentinel; --",
  'x"; DROP TABLE cxray_sentinel; --',
  'x`; DROP TABLE cxray_sentinel; --',
  "'); DROP TABLE cxray_sentinel; --",
  '"); DROP TABLE cxray_sentinel; --',
  "')); DROP TABLE cxray_sentinel; --",
  '1; DELETE FROM cxray_sentinel',
  "'; DELETE FROM cxray_sentinel; --",
  "'; INSERT INTO cxray_sentinel VALUES (666); --",
  '"; INSERT INTO cxray_sentinel VALUES (666); --',
  "\\'; INSERT INTO cxray_sentinel VALUES (666); --",
  "'; UPDATE t SET n = 666; --",
  "' OR '1'='1",
  '" OR "1"="1',
  '1 OR 1=1',
  "' UNION SELECT * FROM cxray_sentinel --",
  "'; ATTACH '/tmp/cxray-evil.db' AS evil; --",
  "'; COPY cxray_sentinel TO '/tmp/cxray-leak.csv'; --",
  "'; SET threads = 1; --",
  "'; PRAGMA version; --",
  '$$; DROP TABLE cxray_sentinel; $$',
  "$$'; DROP TABLE cxray_sentinel; --$$",
  ';',
  ';;',
  '; ',
  "E'\\''",
  "e'x'",
  "x' || (SELECT 1) || '",
  '"||(SELECT 1)||"',
  "'::INTEGER",
  "CAST('1' AS INTEGER)",
  "'); CREATE TABLE pwned (x INT); --",
];

const LOOKALIKES = [
  '\u2019', '\u2018', '\uFF07', '\u02BC', '\u201C', '\u201D', '\uFF02', '\uFF1B', '\u037E', '\uFF0D', '\u2212', '\u2010',
  '\uFE63', '\uFF3C', '\u2032', '\u2033', '\u02B9', '\u055A', 'x\u2019; DROP TABLE cxray_sentinel; --',
  'x\uFF07\uFF1B DROP TABLE cxray_sentinel\uFF1B --', 'e\u0301', '\u00E9', '\uFB01', 'I\u0307', '\u0130', '\u0131', '\u00DF', '\u1E9E',
  '\u212A', 'K', '\u2126', '\u03A9',
];

const INVISIBLE = [
  '\u200B', '\u200C', '\u200D', '\uFEFF', '\u2060', '\u202E', '\u202D', '\u202A', '\u202C', '\u2066', '\u2067', '\u2068', '\u2069',
  '\u061C', '\u200E', '\u200F', 'abc\u202Edef', 'x\u200B', '\u200By', '\u00AD', 'admin\u200B', '\u202Etxt.exe',
];

const WHITESPACE = [
  '\n', '\r', '\r\n', '\t', 'a\nb', 'a\rb', 'a\tb', '\v', '\f', ' ', '  ', ' lead', 'trail ', ' both ', '\u00A0', '\u2028',
  '\u2029', '\u3000', '\u0085', '\n\n\n', 'line1\r\nline2', "'\n; DROP TABLE cxray_sentinel; --",
];

const CONTROLS = ['\u0001', '\u001B[31mred\u001B[0m', '\u007F', '\b', '\u0007', '\u001F', '\u0080', '\u009F'];

const PLACEHOLDERS = [
  '$1', '$name', '$v', '$t', '$p0_0', '$$', '$tag$', '$a$ x $a$', '?', '??', '?1', ':name', ':1', '@name', '@@version', '{x}',
  '{{x}}', '${x}', '%s', '%d', '%%', '%', '_', '*', '\\N', '%n%n%n', '{0}',
];

const PATHS = [
  '../../etc/passwd', '..\\..\\windows\\win.ini', '/etc/passwd', 'file:///etc/passwd', 'C:\\', '~/.ssh/id_rsa', '.', '..', '/',
  './x', 'a/b', 'a.b', '%2e%2e%2f', 'cxray.duckdb', '/dev/null', 's3://bucket/key', 'http://example.com/?a=1&b=2',
];

const ASTRAL = [
  '\u{1F600}', '\u{1F468}\u200D\u{1F469}\u200D\u{1F467}\u200D\u{1F466}', '\u{1F3F3}\uFE0F\u200D\u{1F308}',
  '\u{1D518}\u{1D52B}\u{1D526}\u{1D520}\u{1D52C}\u{1D521}\u{1D522}', '\u{2070E}', '\u{1F1EB}\u{1F1F7}', '\u{10FFFF}',
  '\u{1F600}\u{1F600}', 'a\u{1F600}b', '\u4E2D\u6587', '\u0627\u0644\u0639\u0631\u0628\u064A\u0629', '\u05E2\u05D1\u05E8\u05D9\u05EA',
  '\u0939\u093F\u0928\u094D\u0926\u0940', '\uFFFD', '\uFFFE', '\uFFFF', '\u{E0041}', 'Z\u0351\u036B\u0343\u036A\u0302\u036B',
];

const RESERVED = [
  'SELECT', 'select', 'FROM', 'WHERE', 'TABLE', 'ORDER', 'GROUP', 'DEFAULT', 'USER', 'CURRENT_USER', 'CURRENT_DATE', 'all', 'ROWID',
  'rowid', 'primary', 'key', 'index', 'count', 'sum', 'DROP', 'ON', 'AS', 'CAST', 'TRUE', 'FALSE', 'true', 'false', 'undefined',
  'NaN', 'Infinity', '-Infinity', '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', 'length',
];

const NUMERIC_LOOKING = [
  '0', '00', '-0', '1', '-1', '1e308', '1e309', '-1e309', '0x10', '0b1', '1_000', '1,000', '3.14', '.5', '5.', '+1',
  '9223372036854775808', '-9223372036854775809', '99999999999999.9999', '2024-01-01', '2024-01-01T00:00:00Z', '00:00',
  '1/2', 'NULL', 'null', 'Null', 'NIL', 'None', 'N/A', '#N/A', '',
];

const MARKUP = [
  '<script>alert(1)</script>', "=cmd|' /C calc'!A0", '+SUM(A1)', '@SUM(1)', '-1+1', '{"a":1}', '[1,2]', '<?xml version="1.0"?>',
  '&amp;', '\'"`;--/**/$1?{x}%s\\',
];

const LONG_STRINGS = [
  'a'.repeat(LONG),
  "'".repeat(LONG),
  '"'.repeat(LONG),
  '\\'.repeat(LONG),
  '\u00E9\u{1F600}'.repeat(LONG / 3),
  "x'; DROP TABLE cxray_sentinel; --".repeat(Math.ceil(LONG / 33)).slice(0, LONG),
];

/** Cores wrapped in every way a careless escaper could trip over. */
const CORES = ["'", '"', '`', '\\', '--', '/*', '*/', ';', '$v', '?', '\n', '\u2019', '\u202E', '\u{1F600}'];
const WRAPPERS: ReadonlyArray<(core: string) => string> = [
  (c) => `a${c}b`,
  (c) => `${c}${c}`,
  (c) => ` ${c} `,
  (c) => `\\${c}`,
  (c) => `${c}\\`,
];

const FRAGMENTS = ["'", '"', '`', '\\', '--', '/*', '*/', ';', '$1', '$v', '?', '%s', '{x}', '\n', '\r', '\t', ' ', 'NULL', 'DROP TABLE t',
  '\u2019', '\uFF07', '\u200B', '\u202E', '\u{1F600}', '\u00E9', 'x', '0'];

/** mulberry32: tiny, seedable, and the same on every platform. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function generated(count: number, seed: number): string[] {
  const next = mulberry32(seed);
  const out: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const parts = 1 + Math.floor(next() * 6);
    let s = '';
    for (let j = 0; j < parts; j += 1) s += FRAGMENTS[Math.floor(next() * FRAGMENTS.length)] ?? '';
    out.push(s);
  }
  return out;
}

/** The whole corpus, in a fixed order, without duplicates. */
export function buildHostileCorpus(): string[] {
  const all = [
    ...QUOTES, ...COMMENTS, ...STACKED, ...LOOKALIKES, ...INVISIBLE, ...WHITESPACE, ...CONTROLS, ...PLACEHOLDERS, ...PATHS,
    ...ASTRAL, ...RESERVED, ...NUMERIC_LOOKING, ...MARKUP, ...LONG_STRINGS,
    ...CORES.flatMap((core) => WRAPPERS.map((wrap) => wrap(core))),
    ...generated(40, 20240229),
  ];
  return [...new Set(all)];
}

/** Every hostile string; used as values (the empty string included). */
export const HOSTILE_STRINGS: readonly string[] = Object.freeze(buildHostileCorpus());

/** The hostile strings usable as names: all but the empty string, which no engine can name a table. */
export const HOSTILE_IDENTIFIERS: readonly string[] = Object.freeze(HOSTILE_STRINGS.filter((s) => s.length > 0));

/** What the escaper and the binder must REJECT with a TypeError: NUL and lone UTF-16 surrogates. */
export const UNRENDERABLE_STRINGS: readonly string[] = Object.freeze([
  '\u0000',
  'a\u0000b',
  "x'\u0000; DROP TABLE cxray_sentinel; --",
  '\u0000'.repeat(3),
  '\uD800',
  '\uDFFF',
  'a\uD83Db',
  'a\uDE00b',
  '\uDE00\uD83D',
  `${'a'.repeat(LONG)}\uD800`,
  '\u{1F600}'.slice(0, 1),
  '\u{1F600}'.slice(1),
]);
