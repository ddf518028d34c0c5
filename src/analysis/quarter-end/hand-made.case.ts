import type { ColumnSpec } from '../../engine/dialect.js';
import type { Engine } from '../../engine/types.js';
import { CUSTOMER_FACTS_TABLE } from '../../facts/index.js';
import { DAY_MS, inQuarterEndWindow } from './fiscal-calendar.js';

/**
 * A hand-made company whose answers are known by construction: every day of
 * 2024 brings 2 customers, and each of the last 10 days of a calendar
 * quarter 4 (so sales per day are exactly twice as high in the windows,
 * with no trend, weekday or day-of-month effect: the Poisson fit is exact);
 * as_of 2025-06-30, so every customer's refund period has passed.
 *
 * Customer k of its group (window customers counted apart from the others):
 * - buys once, an hour after signing up, for 100;
 * - is refunded within 10 days when k % 4 = 0 (window) or k % 10 = 0 (others),
 *   and 90 days later (not early) when k % 10 = 5;
 * - churns 15 days after signing up when k % 20 = 1 (window) or k % 40 = 1;
 * - answers NPS when k % 2 = 0 (window: 3, 8 or 10 in turn; others: 10, 9,
 *   7 or 5) and CSAT when k % 3 = 0 (window 2 or 4; others 4 or 5);
 * - lives in region north (even k) or south.
 */
export interface HandCustomer {
  id: string;
  window: boolean;
  signupMs: number;
  region: string;
  refundedEarly: boolean;
  refundedLate: boolean;
  churned: boolean;
  exposureDays: number;
  nps: number | null;
  csat: number | null;
}

export const HAND_AS_OF = '2025-06-30';
const AS_OF_END = Date.UTC(2025, 6, 1);

export function handMadeCustomers(): HandCustomer[] {
  const customers: HandCustomer[] = [];
  const counters = { window: 0, others: 0 };
  for (let day = Date.UTC(2024, 0, 1); day < Date.UTC(2025, 0, 1); day += DAY_MS) {
    const window = inQuarterEndWindow(day, 10, 1);
    for (let i = 0; i < (window ? 4 : 2); i += 1) {
      const k = window ? counters.window++ : counters.others++;
      const signupMs = day + (7 + 5 * i) * 3_600_000;
      const churned = window ? k % 20 === 1 : k % 40 === 1;
      customers.push({
        id: `${window ? 'w' : 'o'}${k}`,
        window,
        signupMs,
        region: k % 2 === 0 ? 'north' : 'south',
        refundedEarly: window ? k % 4 === 0 : k % 10 === 0,
        refundedLate: k % 10 === 5,
        churned,
        exposureDays: churned ? 15 : (AS_OF_END - signupMs) / DAY_MS,
        nps: k % 2 !== 0 ? null : window ? ([3, 8, 10][(k / 2) % 3] ?? null) : ([10, 9, 7, 5][(k / 2) % 4] ?? null),
        csat: k % 3 !== 0 ? null : window ? ((k / 3) % 2 === 0 ? 2 : 4) : (k / 3) % 2 === 0 ? 4 : 5,
      });
    }
  }
  return customers;
}

const FACTS: ColumnSpec[] = [
  { name: 'customer_id', type: 'string' },
  { name: 'region', type: 'string' },
  { name: 'signup_at', type: 'timestamp' },
  { name: 'first_purchase_at', type: 'timestamp' },
  { name: 'exposure_days', type: 'double' },
  { name: 'churned', type: 'boolean' },
  { name: 'latest_nps', type: 'double' },
  { name: 'latest_csat', type: 'double' },
  { name: 'revenue', type: 'money' },
  { name: 'fees', type: 'money' },
  { name: 'credits', type: 'money' },
  { name: 'cost_of_goods', type: 'money' },
];

const TRANSACTIONS: ColumnSpec[] = [
  { name: 'customer_id', type: 'string' },
  { name: 'at', type: 'timestamp' },
  { name: 'kind', type: 'string' },
  { name: 'amount', type: 'money' },
];

/** customer_facts and transactions of the hand-made company, created on `engine` (any engine: inserted as literals). */
export async function loadHandMade(engine: Engine, customers: readonly HandCustomer[]): Promise<void> {
  const d = engine.dialect;
  const at = (ms: number): string => d.literal(new Date(ms));
  const money = (x: number): string => `CAST(${d.literal(x.toFixed(2))} AS ${d.columnType('money')})`;
  const num = (x: number | null): string => (x === null ? `CAST(NULL AS ${d.columnType('double')})` : `CAST(${d.literal(x)} AS ${d.columnType('double')})`);
  for (const table of [CUSTOMER_FACTS_TABLE, 'transactions']) if (await engine.hasTable(table)) await engine.exec(`DROP TABLE ${d.quoteIdent(table)}`);
  await engine.exec(d.createTable(CUSTOMER_FACTS_TABLE, FACTS));
  await engine.exec(d.createTable('transactions', TRANSACTIONS));
  const factRows = customers.map((c) => {
    return `(${d.literal(c.id)}, ${d.literal(c.region)}, ${at(c.signupMs)}, ${at(c.signupMs + 3_600_000)}, ${num(c.exposureDays)}, ${d.literal(c.churned)}, ${num(c.nps)}, ${num(c.csat)}, ${money(100)}, ${money(0)}, ${money(0)}, ${money(0)})`;
  });
  const transactionRows = customers.flatMap((c) => [
    `(${d.literal(c.id)}, ${at(c.signupMs + 3_600_000)}, ${d.literal('purchase')}, ${money(100)})`,
    ...(c.refundedEarly ? [`(${d.literal(c.id)}, ${at(c.signupMs + 3_600_000 + 10 * DAY_MS)}, ${d.literal('refund')}, ${money(100)})`] : []),
    ...(c.refundedLate ? [`(${d.literal(c.id)}, ${at(c.signupMs + 3_600_000 + 90 * DAY_MS)}, ${d.literal('refund')}, ${money(100)})`] : []),
  ]);
  for (let i = 0; i < factRows.length; i += 500) await engine.exec(`INSERT INTO ${d.quoteIdent(CUSTOMER_FACTS_TABLE)} VALUES ${factRows.slice(i, i + 500).join(', ')}`);
  for (let i = 0; i < transactionRows.length; i += 500) await engine.exec(`INSERT INTO ${d.quoteIdent('transactions')} VALUES ${transactionRows.slice(i, i + 500).join(', ')}`);
}

/** The facts columns as the analysis context lists them. */
export const HAND_FACTS_COLUMNS = FACTS.map((c) => ({ name: c.name, type: c.type, unit: null, table: 'customers' as const, description: '' }));
