/**
 * Text as the theme layer compares it: NFKC (full-width letters, ligatures),
 * accents folded (customers type "cafe" and "café" alike), typographic
 * apostrophes and quotes made ASCII, lower case. Offsets are not kept: themes
 * quote the original comment, never this form.
 */
export function normalizeText(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[\u2018\u2019\u201B\u02BC\u00B4\u0060\uFF07]/g, "'")
    .replace(/[\u201C\u201D\u201E\u00AB\u00BB]/g, '"')
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .normalize('NFC')
    .toLowerCase();
}
