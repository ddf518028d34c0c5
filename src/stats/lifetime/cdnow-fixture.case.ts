import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/*
 * Readers for the CDNOW and sBG fixtures (test/fixtures/cdnow, sbg-retention),
 * for the tests only: the models themselves never do I/O.
 */
const fixture = (path: string): string => readFileSync(fileURLToPath(new URL(`../../../test/fixtures/${path}`, import.meta.url)), 'utf8');

export interface CdnowCustomer {
  id: number;
  x: number;
  tx: number;
  T: number;
  /** Mean value of the repeat calibration purchases (0 when x = 0). */
  meanSpend: number;
  /** Distinct purchase days in the holdout, 1997-10-01 to 1998-06-30. */
  holdoutPurchases: number;
}

/** CDNOW holdout length in weeks: 1997-10-01 to 1998-06-30 is 273 days. */
export const CDNOW_HOLDOUT_WEEKS = 39;

function csvRows(text: string): string[][] {
  return text
    .trim()
    .split(/\r?\n/)
    .slice(1)
    .map((line) => line.split(','));
}

/** The 2,357 customers: (x, tₓ, T) from cdnow_customers_summary.csv, spend from the _with_transactions file, holdout counts from CDNOW_sample.txt. */
export function readCdnowCustomers(): CdnowCustomer[] {
  const spend = new Map(csvRows(fixture('cdnow/cdnow_customers_summary_with_transactions.csv')).map(([id, , , , zbar]) => [Number(id), Number(zbar)]));
  const holdoutDays = new Map<number, Set<string>>();
  for (const line of fixture('cdnow/CDNOW_sample.txt').split(/\r?\n/)) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 5) continue;
    const [, sampleId, date] = fields;
    if (date === undefined || date < '19971001' || date > '19980630') continue;
    const id = Number(sampleId);
    const days = holdoutDays.get(id) ?? new Set<string>();
    days.add(date);
    holdoutDays.set(id, days);
  }
  return csvRows(fixture('cdnow/cdnow_customers_summary.csv')).map(([id, frequency, recency, age]) => {
    const customer = Number(id);
    return {
      id: customer,
      x: Number(frequency),
      tx: Number(recency),
      T: Number(age),
      meanSpend: spend.get(customer) ?? Number.NaN,
      holdoutPurchases: holdoutDays.get(customer)?.size ?? 0,
    };
  });
}

/** The sBG paper's survival table: alive at the start of years 0-7 for the High End and Regular cohorts. */
export function readSbgSurvival(): { highEnd: number[]; regular: number[] } {
  const rows = csvRows(fixture('sbg-retention/sbg_paper_survival.csv'));
  return { highEnd: rows.map((row) => Number(row[1])), regular: rows.map((row) => Number(row[2])) };
}
