// Starts Debian's Chromium for the dashboard's browser tests through playwright-core, with a fresh profile each
// time. Tests use `describe.skipIf(!browser.available)` and print `browser.reason`, so a skip is never silent; on CI
// (CI=true) a missing Chromium fails the run instead.
import { accessSync, constants } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM_BIN = process.env.RELEASEBOT_CHROMIUM ?? '/usr/bin/chromium';

/** The flags the issue asks for; playwright-core adds --user-data-dir with the fresh profile directory. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export const browser: { available: boolean; reason: string } = (() => {
  try {
    accessSync(CHROMIUM_BIN, constants.X_OK);
    return { available: true, reason: '' };
  } catch {
    return {
      available: false,
      reason: `${CHROMIUM_BIN} not found (install Debian's chromium package; .ci/run does)`,
    };
  }
})();
if (!browser.available && process.env.CI === 'true')
  throw new Error(`CI requires Chromium: ${browser.reason}`);
if (!browser.available) console.warn(`[skip] dashboard browser tests: ${browser.reason}`);

export interface BrowserHandle {
  context: BrowserContext;
  close(): Promise<void>;
}

/** A headless Chromium with a new, empty profile (no cache, no storage from earlier runs). */
export async function launchChromium(): Promise<BrowserHandle> {
  const profile = await mkdtemp(join(tmpdir(), 'rb-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_BIN,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1360, height: 900 },
    deviceScaleFactor: 1,
    locale: 'en-GB',
    timezoneId: 'UTC',
  });
  return {
    context,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
