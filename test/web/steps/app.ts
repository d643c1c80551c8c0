import type { Page } from 'playwright-core';

/** The steps every journey of the web app shares: opening a page, signing in, playing the watch page's video. */

/** Opens a page of the web app (`#/…`) at `baseUrl` and waits until it has rendered. */
export async function openApp(page: Page, baseUrl: string, path: string) {
  const target = `${baseUrl}/#${path}`;
  // The shown page's heading is marked: the next page's replaces it, whether the hash changed or a load ran.
  await page.evaluate('document.querySelector("main h1")?.setAttribute("data-stale", "")');
  // Going to the address already shown changes no hash, so nothing would render again.
  if (page.url() === target) await page.reload();
  else await page.goto(target);
  await page.waitForSelector('body[data-ready="true"] main:not([aria-busy]) h1:not([data-stale])');
}

/** Signs in through the sign-in form and waits until the header shows the user. */
export async function signIn(
  page: Page,
  baseUrl: string,
  user: { email: string; password: string; username: string },
) {
  await openApp(page, baseUrl, '/sign-in');
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText(`@${user.username}`).waitFor();
}

/** Starts the watch page's player muted and waits until its `currentTime` passes `seconds`. */
export async function playFor(page: Page, seconds: number) {
  await page.locator('video.player').waitFor();
  await page.evaluate(`(() => {
    const video = document.querySelector('video.player');
    video.muted = true;
    return video.play();
  })()`);
  await page.waitForFunction(`document.querySelector("video.player").currentTime > ${seconds}`, undefined, {
    timeout: 15_000,
  });
}
