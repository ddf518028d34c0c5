export interface HeaderGuess {
  headerRows: number;
  namesRow: number;
  mergeHeaderRows: boolean;
  /** Column names as the importer will see them. */
  names: string[];
  /** A description row (Qualtrics row 2: question text), aligned with names. */
  descriptions?: string[];
  /** Qualtrics row 3 ImportIds, aligned with names. */
  importIds?: string[];
  /** Qualtrics row 3 time zones (blank when none), aligned with names. */
  timeZones?: string[];
  note: string;
}

const blank = (s: string | undefined): boolean => s === undefined || s.trim() === '';

/**
 * How many rows the header takes. Qualtrics writes three (names, question
 * text, `{"ImportId":...}` JSON); legacy Qualtrics two; SurveyMonkey two,
 * where a multi-column question leaves blanks in row 1 that row 2 fills
 * (`Response`, `Open-Ended Response`, choice text). Everything else: one.
 */
export function sniffHeaderRows(records: string[][]): HeaderGuess {
  const [row1 = [], row2 = [], row3 = []] = records;
  const names = row1.map((s) => s.trim());

  const jsonCells = row3.filter((c) => c.trim().startsWith('{"ImportId"')).length;
  if (jsonCells > 0 && jsonCells >= row3.filter((c) => !blank(c)).length / 2) {
    return {
      headerRows: 3,
      namesRow: 1,
      mergeHeaderRows: false,
      names,
      descriptions: names.map((_, i) => (row2[i] ?? '').trim()),
      importIds: names.map((_, i) => importTagOf(row3[i] ?? '', 'ImportId')),
      timeZones: names.map((_, i) => importTagOf(row3[i] ?? '', 'timeZone')),
      note: '3 header rows (names, question text, ImportId JSON): Qualtrics layout',
    };
  }

  const responseIdAt = names.findIndex((n) => /^response ?id$/i.test(n));
  if (responseIdAt >= 0 && row2.length === row1.length && !/^R_/.test(row2[responseIdAt] ?? '') && /response/i.test(row2[responseIdAt] ?? '')) {
    return {
      headerRows: 2,
      namesRow: 1,
      mergeHeaderRows: false,
      names,
      descriptions: names.map((_, i) => (row2[i] ?? '').trim()),
      note: '2 header rows (names, question text): legacy Qualtrics layout',
    };
  }

  const gaps = names.map((n, i) => (i > 0 && n === '' ? i : -1)).filter((i) => i >= 0);
  const subLabels = row2.filter((c) => /^(Response|Open-Ended Response|Other \(please specify\))$/i.test(c.trim())).length;
  const gapsFilled = gaps.length > 0 && gaps.every((i) => !blank(row2[i])) && blank(row2[0]);
  if (subLabels > 0 || gapsFilled) {
    return {
      headerRows: 2,
      namesRow: 1,
      mergeHeaderRows: true,
      names: mergeHeaderNames(row1, row2),
      note: '2 header rows merged (question, then answer label): SurveyMonkey layout',
    };
  }
  return { headerRows: 1, namesRow: 1, mergeHeaderRows: false, names, note: '1 header row' };
}

/**
 * SurveyMonkey names: row 1 forward-filled over its blanks, joined to row 2
 * with " - " when row 2 has another label. The importer builds names the same
 * way for `merge_header_rows: true` (src/ingest/header.ts).
 */
export function mergeHeaderNames(row1: string[], row2: string[]): string[] {
  let carried = '';
  return row1.map((cell, i) => {
    const top = cell.trim() !== '' ? cell.trim() : carried;
    carried = top;
    const sub = (row2[i] ?? '').trim();
    return sub !== '' && sub !== top ? `${top} - ${sub}` : top;
  });
}

function importTagOf(cell: string, tag: 'ImportId' | 'timeZone'): string {
  try {
    const parsed: unknown = JSON.parse(cell);
    if (parsed !== null && typeof parsed === 'object' && tag in parsed) return String((parsed as Record<string, unknown>)[tag]);
  } catch {
    // Not JSON: no ImportId.
  }
  return '';
}
