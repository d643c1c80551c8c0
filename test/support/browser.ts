import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { projectRoot } from '#tools/serverless-functions.ts';

/** Debian's chromium package: the tests never download a browser. */
export const CHROMIUM_PATH = '/usr/bin/chromium';
/** Where the browser tests write their screenshots (git-ignored). */
export const SCREENSHOT_DIR = join(projectRoot, 'test-results', 'web');

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

let axeSource: string | undefined;

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[] }[];
}

/** Runs axe-core in the page and fails on any serious or critical violation, naming each. */
export async function expectAccessible(page: Page, name: string) {
  axeSource ??= await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  await page.addScriptTag({ content: axeSource });
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run: () => Promise<{ violations: AxeViolation[] }> } })
      .axe;
    return (await axe.run()).violations.map(({ id, impact, help, nodes }) => ({ id, impact, help, nodes }));
  });
  const serious = violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(
      (violation) =>
        `${violation.id} (${violation.impact}): ${violation.help} at ${JSON.stringify(violation.nodes.map((node) => node.target))}`,
    );
  expect(serious, `axe on ${name}`).toEqual([]);
}

/** Writes a full-page screenshot to test-results/web/<name>.png and returns its path. */
export async function screenshot(page: Page, name: string) {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
