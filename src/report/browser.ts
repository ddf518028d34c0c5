import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { UserError } from '../errors.js';

/** Debian's Chromium (`apt-get install chromium`); playwright-core drives it and never downloads a browser of its own. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/**
 * Flags for a closed network (headless itself is playwright's `headless: true`): no sandbox (tests and CI run as
 * root), and none of Chromium's own background connections (updates, sync,
 * safe browsing), which would otherwise be refused at every start.
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** Throws the UserError that says how to install Chromium when it is not at `executablePath`. */
export function requireChromium(executablePath: string = CHROMIUM_PATH): void {
  if (!existsSync(executablePath)) {
    throw new UserError('chromium_missing', `A PDF report is printed by Chromium, which is not installed at ${executablePath}.`, {
      hint: 'Install it with `apt-get install chromium` (Debian), or write the report as .html or .md.',
    });
  }
}

/**
 * Starts Chromium through playwright-core. A missing browser is the user's
 * to install (UserError naming the package); one that will not start is
 * reported with its cause.
 */
export async function launchChromium(executablePath: string = CHROMIUM_PATH): Promise<Browser> {
  requireChromium(executablePath);
  const { chromium } = await import('playwright-core');
  try {
    return await chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
  } catch (error) {
    throw new UserError('chromium_failed', `Chromium at ${executablePath} did not start: ${(error instanceof Error ? error.message : String(error)).split('\n')[0] ?? ''}`, {
      hint: 'Check that `chromium --headless --no-sandbox --version` runs; reinstall it with `apt-get install --reinstall chromium`.',
      cause: error,
    });
  }
}
