import { UserError } from '../errors.js';

/**
 * A period of whole UTC days from `--from` / `--to`, both inclusive; either
 * may be open. `start` is the first instant, `end` the first instant after.
 */
export interface Period {
  from?: string;
  to?: string;
  start?: Date;
  end?: Date;
}

const DAY_MS = 86_400_000;

export function parseDay(text: string, flag: string): Date {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const day = match === null ? new Date(Number.NaN) : new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  if (Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== text) {
    throw new UserError('bad_period', `${flag} ${JSON.stringify(text)} is not a calendar date written YYYY-MM-DD.`, {
      hint: `Write ${flag} as a date such as 2025-01-01.`,
    });
  }
  return day;
}

/**
 * The period of `--from` / `--to`, or null when neither is given.
 * Event-based measures (interactions, survey answers, transactions, signups)
 * count only events inside it; customer attributes stay as of as_of.
 */
export function parsePeriod(from: string | undefined, to: string | undefined): Period | null {
  if (from === undefined && to === undefined) return null;
  const start = from === undefined ? undefined : parseDay(from, '--from');
  const last = to === undefined ? undefined : parseDay(to, '--to');
  if (start !== undefined && last !== undefined && last.getTime() < start.getTime()) {
    throw new UserError('bad_period', `The period ends (${to ?? ''}) before it starts (${from ?? ''}).`, {
      hint: 'Give --from on or before --to.',
    });
  }
  return {
    ...(from === undefined ? {} : { from }),
    ...(to === undefined ? {} : { to }),
    ...(start === undefined ? {} : { start }),
    ...(last === undefined ? {} : { end: new Date(last.getTime() + DAY_MS) }),
  };
}

/** Words for a sentence: "from 2025-01-01 to 2025-03-31", "from 2025-01-01", "up to 2025-03-31". */
export function describePeriod(period: Period): string {
  if (period.from !== undefined && period.to !== undefined) return `from ${period.from} to ${period.to}`;
  if (period.from !== undefined) return `from ${period.from}`;
  return `up to ${period.to ?? ''}`;
}
