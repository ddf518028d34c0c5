import { it } from 'vitest';

/**
 * A test that needs a component which may be absent (a server, a browser, a
 * Python stack). Absent: it skips with an install hint for a user; under
 * CXRAY_STRICT=1 (CI) it fails instead, so nothing skips silently in CI.
 */
export function itNeeds(available: boolean, component: string, installHint: string) {
  if (available) return it;
  if (process.env['CXRAY_STRICT'] === '1') {
    return (name: string, ..._rest: unknown[]) =>
      it(name, () => {
        throw new Error(`${component} is required under CXRAY_STRICT=1 but is not available. ${installHint}`);
      });
  }
  return (name: string, ...rest: unknown[]) => {
    process.stderr.write(`skipping "${name}": ${component} is not available. ${installHint}\n`);
    return (it.skip as (n: string, ...r: unknown[]) => void)(name, ...rest);
  };
}
