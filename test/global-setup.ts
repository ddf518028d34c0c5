/**
 * Runs once per test run: pins the time zone. Simulated companies are
 * generated once per run and cached (see test/helpers/company.ts).
 */
export default function setup(): void {
  process.env['TZ'] = 'UTC';
}
