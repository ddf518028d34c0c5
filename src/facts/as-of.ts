import { UserError } from '../errors.js';

/** The as_of day as UTC instants: its first instant and the first instant after it. */
export function parseAsOf(asOf: string): { start: Date; end: Date } {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(asOf);
  const start = match === null ? new Date(Number.NaN) : new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  if (Number.isNaN(start.getTime()) || start.toISOString().slice(0, 10) !== asOf) {
    throw new UserError('bad_as_of', `as_of ${JSON.stringify(asOf)} is not a calendar date written YYYY-MM-DD.`, {
      hint: 'Write as_of as a date such as 2024-06-30 (in cxray.yaml or with --as-of).',
    });
  }
  return { start, end: new Date(start.getTime() + 86_400_000) };
}
