import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';

/** Debian's chromium; playwright-core drives it (it downloads no browser of its own). */
export const CHROMIUM_PATH = process.env['FATHOM_CHROMIUM'] ?? '/usr/bin/chromium';

/**
 * Why browser tests skip, or undefined when they can run. With FATHOM_REQUIRE_CHROMIUM=1 (CI)
 * a missing browser fails instead: a silent skip would hide a broken setup.
 */
export function chromiumSkipReason(): string | undefined {
  if (existsSync(CHROMIUM_PATH)) return undefined;
  if (process.env['FATHOM_REQUIRE_CHROMIUM'] === '1') {
    throw new Error(
      `FATHOM_REQUIRE_CHROMIUM=1 but ${CHROMIUM_PATH} does not exist; install it: apt-get install -y chromium`,
    );
  }
  return `no browser at ${CHROMIUM_PATH} (apt-get install -y chromium)`;
}

/**
 * A headless Chromium with a fresh profile and no background traffic of its own, so a test
 * that blocks the network sees only the page's requests. Closed (and its profile removed) after `body`.
 */
export async function withChromium<T>(body: (context: BrowserContext) => Promise<T>): Promise<T> {
  const { chromium } = await import('playwright-core');
  const profile = await mkdtemp(join(tmpdir(), 'fathom-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      // Containers often have a 64 MB /dev/shm, too small for Chromium's shared memory.
      '--disable-dev-shm-usage',
    ],
  });
  try {
    return await body(context);
  } finally {
    await context.close();
    await rm(profile, { recursive: true, force: true });
  }
}
