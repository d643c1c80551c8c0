import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { handler as getVideo } from '#functions/videos/get.ts';
import { expectAccessible, launchBrowser, SCREENSHOT_DIR, screenshot } from '../support/browser.ts';
import { createUser, type TestUser } from '../support/factories.ts';
import { callApi } from '../support/lambda.ts';
import { loadSharedSample } from '../support/media-fixtures.ts';
import { uploadVideo } from '../support/upload-factories.ts';
import { startWebStack } from '../support/web-stack.ts';
import { openApp, playFor } from './steps/app.ts';

// The ingest and media pipeline run in this process: their pushes go to the web stack's WebSocket server.
const websocketPort = await vi.hoisted(async () =>
  (await import('../support/realtime.ts')).useWebSocketPort(),
);

let web: Awaited<ReturnType<typeof startWebStack>>;
let browser: Browser;
let creator: TestUser;
let videoId: string;
let viewer: BrowserContext;
let page: Page;
const account = {
  email: `web_${Date.now().toString(36)}@example.test`,
  username: `web_${Date.now().toString(36)}`,
  password: 'a web app password',
};
const screenshots: string[] = [];

/** Every page gets an accessibility check and a screenshot. */
async function review(target: Page, name: string) {
  await expectAccessible(target, name);
  screenshots.push(await screenshot(target, name));
}

beforeAll(async () => {
  [web, browser] = await Promise.all([
    startWebStack({ notificationsPollSeconds: 1, websocketPort }),
    launchBrowser(),
  ]);
  creator = await createUser({ role: 'creator', displayName: 'Harbour Films' });
  videoId = await uploadVideo(creator, await loadSharedSample(), { title: 'Harbour sunrise timelapse' });
  viewer = await browser.newContext({ viewport: { width: 1100, height: 800 } });
  page = await viewer.newPage();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await web?.stop();
  console.log(`screenshots in ${SCREENSHOT_DIR}:\n${screenshots.join('\n')}`);
});

describe('the web app in a real browser, against the real API', () => {
  it('signs up, signs out, signs in, and stays signed in across a reload through the HttpOnly cookie alone', async () => {
    // Act
    await openApp(page, web.url, '/');
    await review(page, 'home-signed-out');
    await page.getByRole('link', { name: 'Sign up' }).click();
    await page.waitForSelector('main:not([aria-busy]) form');
    await review(page, 'sign-up');
    await page.getByLabel('Email').fill(account.email);
    await page.getByLabel('Username').fill(account.username);
    await page.getByLabel('Password').fill(account.password);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByText(`@${account.username}`).waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('link', { name: 'Sign in' }).first().click();
    await page.waitForSelector('main:not([aria-busy]) form');
    await review(page, 'sign-in');
    await page.getByLabel('Email').fill(account.email);
    await page.getByLabel('Password').fill(account.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText(`@${account.username}`).waitFor();
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');

    // Assess
    await expect(page.getByText(`@${account.username}`).isVisible()).resolves.toBe(true);
    const stored = await page.evaluate(
      '({ cookies: document.cookie, local: localStorage.length, session: sessionStorage.length })',
    );
    expect(stored).toEqual({ cookies: '', local: 0, session: 0 });
    const [cookie] = (await viewer.cookies(`${web.apiBaseUrl}/auth/refresh`)).filter(
      ({ name }) => name === 'refreshToken',
    );
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/api/v1/auth' });
  });

  it('shows the uploaded video in the home grid, with its poster, and in search results', async () => {
    // Act
    await openApp(page, web.url, '/');
    const latest = await page.getByRole('list', { name: 'Latest videos' }).textContent();
    await page.waitForFunction(
      '[...document.querySelectorAll(".grid img.poster")].some((img) => img.naturalWidth > 0)',
    );
    const placeholders = await page.locator('.grid .poster.placeholder').count();
    await page.getByLabel('Search videos').fill('sunrise');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('list', { name: 'Results for sunrise' }).waitFor();
    await review(page, 'search');
    const results = await page.getByRole('list', { name: 'Results for sunrise' }).textContent();
    await page.getByLabel('Search videos').fill('nothing-matches-this');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByText('No video matches your search.').waitFor();

    // Assess
    expect(latest).toContain('Harbour sunrise timelapse');
    expect(placeholders).toBe(0);
    expect(results).toContain('Harbour sunrise timelapse');
  });

  it('plays the HLS ladder on the watch page through hls.js, then likes the video and subscribes to its channel', async () => {
    // Prepare
    await openApp(page, web.url, '/');
    await page.getByRole('link', { name: 'Harbour sunrise timelapse' }).click();

    // Act
    await playFor(page, 0.5);
    const source = await page.evaluate('document.querySelector("video.player").currentSrc');
    await review(page, 'watch');
    await page.getByRole('button', { name: 'Like' }).click();
    await page.getByText('1 like', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Subscribe' }).click();
    await page.getByRole('button', { name: 'Subscribed' }).waitFor();
    await page.reload();
    await page.getByRole('button', { name: 'Liked' }).waitFor();
    const pressedAfterReload = await Promise.all(
      ['Liked', 'Subscribed'].map((name) => page.getByRole('button', { name }).getAttribute('aria-pressed')),
    );

    // Assess
    // hls.js feeds the element through Media Source Extensions: its source is a blob, not the original file.
    expect(source).toMatch(/^blob:/);
    const video = await callApi<{ likeCount: number; viewCount: number }>(getVideo, {
      path: `/api/v1/videos/${videoId}`,
      pathParameters: { id: videoId },
    });
    expect(video.body).toMatchObject({ likeCount: 1, viewCount: 1 });
    expect(pressedAfterReload).toEqual(['true', 'true']);
  });

  it('refreshes an access token the API refuses through the cookie, and retries the call', async () => {
    // Prepare: the next read of the subscription is refused as an expired token would be.
    let refused = 0;
    await page.route(`**/api/v1/users/${creator.id}/subscription`, async (route) => {
      if (refused++ > 0) return route.continue();
      await route.fulfill({
        status: 401,
        contentType: 'application/problem+json',
        body: JSON.stringify({ type: 'about:blank', title: 'Unauthorized', status: 401 }),
      });
    });
    const refreshes: string[] = [];
    page.on('request', (request) => {
      if (request.url().endsWith('/auth/refresh')) refreshes.push(request.method());
    });

    // Act
    await openApp(page, web.url, `/channel/${creator.username}`);
    await page.getByRole('button', { name: 'Subscribed' }).waitFor();
    await review(page, 'channel');

    // Assess
    expect(refused).toBe(2);
    expect(refreshes).toEqual(['POST']);
    await expect(page.getByText('1 subscriber', { exact: false }).count()).resolves.toBeGreaterThan(0);
    await page.unrouteAll();
  });

  it('shows the subscriber the unread count on the bell when the channel publishes, and clears it once read', async () => {
    // Prepare
    await openApp(page, web.url, '/');
    await expect(page.getByRole('link', { name: 'Notifications' }).count()).resolves.toBe(1);

    // Act
    await uploadVideo(creator, await loadSharedSample(), { title: 'Harbour at dusk' });
    await page.getByRole('link', { name: 'Notifications, 1 unread' }).waitFor({ timeout: 10_000 });
    screenshots.push(await screenshot(page, 'bell-unread'));
    await page.getByRole('link', { name: 'Notifications, 1 unread' }).click();
    await page.getByText('Harbour Films published').waitFor();
    await review(page, 'notifications');

    // Assess
    await page.getByRole('link', { name: 'Notifications', exact: true }).waitFor({ timeout: 10_000 });
  });

  it('lets the creator rename and delete a video on My videos', async () => {
    // Prepare
    const studio = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const phone = await studio.newPage();
    await openApp(phone, web.url, '/sign-in');
    await phone.getByLabel('Email').fill(creator.email);
    await phone.getByLabel('Password').fill(creator.password);
    await phone.getByRole('button', { name: 'Sign in' }).click();
    await phone.getByRole('link', { name: 'My videos' }).click();
    await phone.getByRole('list', { name: 'Your videos' }).waitFor();
    await review(phone, 'my-videos-phone');

    // Act
    const row = phone.getByRole('listitem').filter({ hasText: 'Harbour sunrise timelapse' });
    await row.getByText('Edit details').click();
    await row.getByLabel('Title').fill('Harbour sunrise, <b>renamed</b>');
    await row.getByRole('button', { name: 'Save changes' }).click();
    const renamed = phone.getByRole('listitem').filter({ hasText: 'Harbour sunrise, <b>renamed</b>' });
    await renamed.waitFor();
    const markupElements = await phone.locator('.my-videos b').count();
    phone.once('dialog', (dialog) => void dialog.accept());
    await renamed.getByRole('button', { name: /^Delete/ }).click();
    await renamed.waitFor({ state: 'detached' });
    await studio.close();

    // Assess: the title's markup stayed text
    expect(markupElements).toBe(0);
    const gone = await callApi(getVideo, {
      path: `/api/v1/videos/${videoId}`,
      pathParameters: { id: videoId },
      token: creator.accessToken,
    });
    expect(gone.status).toBe(404);
  });
});
