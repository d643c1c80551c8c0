import { basename } from 'node:path';
import type { Page, Request } from 'playwright-core';
import { expect } from 'vitest';
import { bucket } from '#lib/storage.ts';
import { listUploadedParts } from '#lib/videos/video-storage.ts';
import { openApp, playFor } from './app.ts';

/** The web app under test (what `startWebStack` answers). */
export interface WebApp {
  url: string;
  apiBaseUrl: string;
}

export interface Account {
  email: string;
  username: string;
  password: string;
}

/** A JSON message the page received over its WebSocket. */
export interface SocketMessage {
  type?: string;
  video?: { id: string; status: string; processing?: { stage: string; percent: number } };
  notification?: { type: string; video?: { id: string } };
}

/**
 * Every JSON message `page` receives over a WebSocket from now on (reconnects and reloads included).
 *
 * @example
 * const messages = recordSocketMessages(page);
 */
export function recordSocketMessages(page: Page): SocketMessage[] {
  const messages: SocketMessage[] = [];
  page.on('websocket', (socket) =>
    socket.on('framereceived', ({ payload }) => {
      try {
        messages.push(JSON.parse(String(payload)));
      } catch {
        // Not JSON: no message of ours.
      }
    }),
  );
  return messages;
}

/** Signs up through the form, as a creator when `creator` is set, and waits until the header shows the user. */
export async function signUp(page: Page, web: WebApp, account: Account, options: { creator: boolean }) {
  await openApp(page, web.url, '/sign-up');
  await page.getByLabel('Email').fill(account.email);
  await page.getByLabel('Username').fill(account.username);
  await page.getByLabel('Password').fill(account.password);
  if (options.creator) await page.getByLabel('I want to upload videos').check();
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByText(`@${account.username}`).waitFor();
}

/** The part number of a storage request (`?partNumber=` of an UploadPart URL), if it is one. */
const partNumberOf = (request: Request) => {
  const part = new URL(request.url()).searchParams.get('partNumber');
  return request.method() === 'PUT' && part ? Number(part) : undefined;
};

export interface DashboardUpload {
  /** The file on disk. */
  path: string;
  title: string;
  /** Where the title is typed: the page's form (every file of the upload gets it), or the file's card in the Dashboard. */
  titleIn?: 'page' | 'file';
  /** Runs while the file's card is open with its title typed (`titleIn: 'file'`). */
  onFileCard?: () => Promise<void>;
  /**
   * Pause with the Dashboard's button once this many parts are stored, reload the page, and resume the restored
   * upload: a multipart upload only.
   */
  reloadAfterParts?: number;
}

/** What a Dashboard upload sent to storage, and its video. */
export interface DashboardUploadResult {
  videoId: string;
  /** Parts storage held (ListParts) when the page was reloaded. */
  partsBeforeReload: number[];
  /** Parts sent after it. */
  partsAfterReload: number[];
  /** Whether Uppy listed the stored parts (ListParts) after the reload. */
  listedPartsAfterReload: boolean;
}

/**
 * Uploads a file through the upload page's stock Uppy Dashboard (title typed in the page's form, the file given to
 * the Dashboard's own file input, its own *Upload* button), optionally reloading the page in the middle, and waits
 * until the uploaded video shows below the Dashboard.
 */
export async function uploadThroughDashboard(
  page: Page,
  web: WebApp,
  upload: DashboardUpload,
): Promise<DashboardUploadResult> {
  const stored: number[] = [];
  let reloaded = false;
  let partsBeforeReload: number[] = [];
  let multipart: { key: string; uploadId: string } | undefined;
  const partsAfterReload: number[] = [];
  let listedPartsAfterReload = false;
  const onRequest = (request: Request) => {
    const part = partNumberOf(request);
    if (part !== undefined && reloaded) partsAfterReload.push(part);
    const url = new URL(request.url());
    const uploadId = url.searchParams.get('uploadId');
    if (part !== undefined && uploadId)
      multipart = { key: decodeURIComponent(url.pathname.replace(`/${bucket}/`, '')), uploadId };
    if (reloaded && request.method() === 'GET' && url.searchParams.has('uploadId'))
      listedPartsAfterReload = true;
  };
  const onFinished = async (request: Request) => {
    const part = partNumberOf(request);
    if (part !== undefined && !reloaded && (await request.response())?.ok()) stored.push(part);
  };
  page.on('request', onRequest);
  page.on('requestfinished', onFinished);
  try {
    await openApp(page, web.url, '/upload');
    // A finished upload stays on the Dashboard until its *Done* button clears it.
    const done = page.getByRole('button', { name: 'Done', exact: true });
    if (await done.isVisible()) await done.click();
    if (upload.titleIn !== 'file') await page.getByLabel('Title', { exact: true }).fill(upload.title);
    await page
      .locator('input.uppy-Dashboard-input[name="files[]"]:not([webkitdirectory])')
      .setInputFiles(upload.path);
    if (upload.titleIn === 'file') {
      await page.getByRole('button', { name: `Edit file ${basename(upload.path)}` }).click();
      await page.getByLabel('Video title').fill(upload.title);
      await upload.onFileCard?.();
      await page.getByRole('button', { name: 'Save changes' }).click();
    }
    await page.getByRole('button', { name: 'Upload 1 file' }).click();
    if (upload.reloadAfterParts) {
      await expect
        .poll(() => stored.length, { timeout: 60_000, interval: 50 })
        .toBeGreaterThanOrEqual(upload.reloadAfterParts);
      await page.locator('.uppy-StatusBar [data-cy="togglePauseResume"]').click();
      await page.getByRole('button', { name: 'Resume', exact: true }).waitFor();
      // Golden Retriever writes its state at most every 500 ms.
      await page.waitForTimeout(1000);
      // What storage holds, not what the page saw answered: a part cut off by the pause may still have been stored.
      partsBeforeReload = multipart
        ? (await listUploadedParts(multipart.key, multipart.uploadId)).map((stored) => stored.PartNumber)
        : [];
      reloaded = true;
      await page.reload();
      await page.waitForSelector('body[data-ready="true"] main:not([aria-busy]) .uppy-Dashboard');
      await page.getByText('We restored all files. You can now resume the upload.').waitFor();
      await page.getByRole('button', { name: 'Upload 1 file' }).click();
    }
    const item = page
      .getByRole('list', { name: 'Uploaded videos' })
      .getByRole('listitem')
      .filter({
        has: page.getByRole('link', { name: upload.title }),
      });
    await item.waitFor({ timeout: 120_000 });
    const href = (await item.getByRole('link', { name: upload.title }).getAttribute('href')) ?? '';
    return {
      videoId: href.replace('#/watch/', ''),
      partsBeforeReload,
      partsAfterReload: [...partsAfterReload].sort((a, b) => a - b),
      listedPartsAfterReload,
    };
  } finally {
    page.off('request', onRequest);
    page.off('requestfinished', onFinished);
  }
}

/** A state the processing bar of a video showed. */
export interface ShownProgress {
  status: string;
  stage: string;
  percent: string;
}

// In the page: for each video (the id its row links to), every distinct state its bar showed. A string, not a
// function: the test code is type-checked without the DOM's types.
const WATCH_BARS = `(() => {
  if (window.shownProgress) return;
  const shown = {};
  const record = (bar) => {
    const href = bar.closest('li')?.querySelector('a')?.getAttribute('href') ?? '';
    const state = { status: bar.dataset.status ?? '', stage: bar.dataset.stage ?? '', percent: bar.dataset.percent ?? '' };
    const seen = (shown[href.replace('#/watch/', '')] ??= []);
    if (JSON.stringify(seen.at(-1)) !== JSON.stringify(state)) seen.push(state);
  };
  new MutationObserver(() => document.querySelectorAll('.processing').forEach(record)).observe(document, {
    subtree: true, childList: true, attributes: true, characterData: true,
  });
  window.shownProgress = shown;
})()`;

/**
 * Records every state the processing bars of the page show from now on, reloads included (a MutationObserver in
 * the page), so a state that lasted a moment is not missed. Call it once per page.
 */
export async function watchProcessingBars(page: Page) {
  await page.addInitScript(WATCH_BARS);
  await page.evaluate(WATCH_BARS);
}

/**
 * Waits until the processing bar of `videoId` says *Ready*, and returns every state it showed on the way (needs
 * {@link watchProcessingBars} first).
 */
export async function waitForLiveProcessing(page: Page, videoId: string): Promise<ShownProgress[]> {
  const shown = `window.shownProgress[${JSON.stringify(videoId)}] ?? []`;
  await page.waitForFunction(`(${shown}).some((state) => state.status === 'ready')`, undefined, {
    timeout: 120_000,
  });
  return (await page.evaluate(shown)) as ShownProgress[];
}

/** Opens the watch page of `videoId`, plays it muted, and waits until its `currentTime` passes 0.5 s. */
export async function expectHlsPlays(page: Page, web: WebApp, videoId: string) {
  await openApp(page, web.url, `/watch/${videoId}`);
  await playFor(page, 0.5);
  // hls.js feeds the element through Media Source Extensions: its source is a blob, not the original file.
  expect(await page.evaluate('document.querySelector("video.player").currentSrc')).toMatch(/^blob:/);
}

/** Waits until the bell of `page` says `unread` unread notifications, without any reload (within a minute). */
export async function expectBellUpdatesLive(page: Page, unread: number) {
  await page.getByRole('link', { name: `Notifications, ${unread} unread` }).waitFor({ timeout: 60_000 });
}
