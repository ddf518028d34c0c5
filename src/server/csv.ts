import type { Cell, ResultTable } from '../analysis/result.js';

/** First characters a spreadsheet reads as the start of a formula (OWASP CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * A text cell made safe for a spreadsheet: one that starts like a formula
 * gets a leading apostrophe, so Excel, LibreOffice and Google Sheets show it
 * as text instead of running it. Numbers are written as numbers: a typed
 * negative amount is data, not a formula.
 */
export function neutraliseFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** RFC 4180 quoting: a field with a comma, quote or line break is quoted, quotes doubled. */
function quote(field: string): string {
  return /[",\r\n]/.test(field) ? `"${field.replaceAll('"', '""')}"` : field;
}

function cellText(cell: Cell): string {
  if (cell === null) return '';
  if (typeof cell === 'string') return quote(neutraliseFormula(cell));
  if (typeof cell === 'number') return Number.isFinite(cell) ? String(cell) : '';
  return cell ? 'true' : 'false';
}

/**
 * A Result table as CSV (header row, CRLF line ends, UTF-8), text cells
 * neutralised against spreadsheet formulas.
 *
 * @example
 * tableCsv({ name: 't', columns: [{ name: 'note', type: 'string', unit: null }], rows: [['=1+1']] }) // "note\r\n'=1+1\r\n"
 */
export function tableCsv(table: ResultTable): string {
  const lines = [table.columns.map((c) => quote(neutraliseFormula(c.name))).join(',')];
  for (const row of table.rows) lines.push(table.columns.map((_, i) => cellText(row[i] ?? null)).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
