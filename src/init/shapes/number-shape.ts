import type { NumberGuess } from '../types.js';

const SYMBOLS = /[$€£¥₹]/;
const CODE = /^(?:[A-Z]{3}\s+)|(?:\s+[A-Z]{3})$/;

interface Parsed {
  value: number;
  decimalHint: '.' | ',' | undefined;
  hasFraction: boolean;
  negative: boolean;
  symbol?: string;
}

/**
 * Read one amount as written in exports: currency symbols or codes
 * (`$22.50`, `USD 1,000.00`), minus signs before or after the symbol
 * (`-$0.95`), parentheses for negatives (`(0.95)`), thousands separators and
 * decimal commas (`"0,25"`, `1.234,56`).
 */
export function parseAmountText(raw: string): Parsed | undefined {
  let s = raw.trim();
  if (s === '') return undefined;
  let negative = false;
  let symbol: string | undefined;
  if (s.startsWith('(') && s.endsWith(')')) {
    negative = true;
    s = s.slice(1, -1).trim();
  }
  const code = CODE.exec(s);
  if (code !== null) {
    symbol = code[0].trim();
    s = s.replace(CODE, '').trim();
  }
  if (s.startsWith('-') || s.startsWith('+')) {
    negative = negative || s.startsWith('-');
    s = s.slice(1).trim();
  }
  const sym = SYMBOLS.exec(s);
  if (sym !== null && (s.startsWith(sym[0]) || s.endsWith(sym[0]))) {
    symbol = sym[0];
    s = s.replace(sym[0], '').trim();
    if (s.startsWith('-')) {
      negative = true;
      s = s.slice(1);
    }
  }
  if (s.endsWith('-')) {
    negative = true;
    s = s.slice(0, -1);
  }
  if (!/^\d[\d.,' ]*$/.test(s) && !/^[.,]\d+$/.test(s)) return undefined;
  let decimalHint: '.' | ',' | undefined;
  let normalised: string;
  const lastDot = s.lastIndexOf('.');
  const lastComma = s.lastIndexOf(',');
  if (lastDot >= 0 && lastComma >= 0) {
    decimalHint = lastDot > lastComma ? '.' : ',';
    normalised = decimalHint === '.' ? s.replace(/[, ']/g, '') : s.replace(/[. ']/g, '').replace(',', '.');
  } else if (lastComma >= 0) {
    // "1,234" is a thousands separator; "0,25" and "12,5" are decimal commas.
    const thousands = /^\d{1,3}(,\d{3})+$/.test(s);
    decimalHint = thousands ? undefined : ',';
    normalised = thousands ? s.replace(/,/g, '') : s.replace(/[. ']/g, '').replace(',', '.');
    if (!thousands && (s.match(/,/g) ?? []).length > 1) return undefined;
  } else if (lastDot >= 0) {
    const thousands = /^\d{1,3}(\.\d{3}){2,}$/.test(s);
    decimalHint = thousands ? ',' : '.';
    normalised = thousands ? s.replace(/\./g, '') : s.replace(/[ ']/g, '');
    if (!thousands && (s.match(/\./g) ?? []).length > 1) return undefined;
  } else {
    normalised = s.replace(/[ ']/g, '');
  }
  const value = Number(normalised);
  if (!Number.isFinite(value)) return undefined;
  const hasFraction = /[.]\d+$/.test(normalised) && decimalHint !== undefined;
  return { value: negative ? -value : value, decimalHint, hasFraction, negative, ...(symbol === undefined ? {} : { symbol }) };
}

/**
 * A column where the non-blank sampled values are numbers or amounts; up to
 * 2% may be broken (`12..50`), as exports carry the odd bad row.
 */
export function guessNumber(values: readonly string[]): NumberGuess | undefined {
  if (values.length === 0) return undefined;
  const allowed = Math.floor(values.length * 0.02);
  const parsed: Parsed[] = [];
  let misfits = 0;
  for (const v of values) {
    // Leading zeros (zip codes, account numbers) are identifiers, not numbers.
    const p = /^0\d/.test(v.trim()) ? undefined : parseAmountText(v);
    if (p === undefined) misfits++;
    else parsed.push(p);
    if (misfits > allowed) return undefined;
  }
  const commas = parsed.filter((p) => p.decimalHint === ',').length;
  const dots = parsed.filter((p) => p.decimalHint === '.').length;
  const symbols = parsed.map((p) => p.symbol).filter((s): s is string => s !== undefined);
  const numbers = parsed.map((p) => p.value);
  return {
    integer: parsed.every((p) => !p.hasFraction && Number.isInteger(p.value)),
    decimal: commas > dots ? ',' : '.',
    ...(symbols.length > 0 ? { symbol: symbols[0] } : {}),
    negative: parsed.some((p) => p.negative),
    min: Math.min(...numbers),
    max: Math.max(...numbers),
  };
}

/** ISO 4217 code for a currency symbol, when it is unambiguous enough to propose. */
export function currencyOfSymbol(symbol: string | undefined): string | undefined {
  if (symbol === undefined) return undefined;
  if (/^[A-Z]{3}$/.test(symbol)) return symbol;
  return ({ $: 'USD', '€': 'EUR', '£': 'GBP', '¥': 'JPY', '₹': 'INR' } as Record<string, string>)[symbol];
}
