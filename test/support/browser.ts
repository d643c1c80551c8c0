import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { projectRoot } from '#tools/serverless-functions.ts';

/** Debian's chromium package: the tests never download a browser. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Installs Debian's chromium when it is missing (scripts/ensure-chromium.sh), so `npm test` needs no set-up. */
export function ensureChromium() {
  if (existsSync(CHROMIUM_PATH)) return;
  execFileSync('sh', [join(projectRoot, 'scripts/ensure-chromium.sh')], { stdio: 'inherit' });
}

/**
 * Launches headless Chromium: one per test file, shared by its tests (each test opens its own context).
 *
 * @example
 * const browser = await launchBrowser();
 */
export async function launchBrowser(): Promise<Browser> {
  ensureChromium();
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    // Root in a container has no user namespaces for Chromium's sandbox.
    args: ['--no-sandbox', '--autoplay-policy=no-user-gesture-required'],
  });
}
