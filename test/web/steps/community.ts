import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/**
 * The viewer's and the admin's steps of the web app's community journey (player, comments, reports, admin queue,
 * playlists), each driving one page as a user would, so journeys can be composed from them.
 */

/** The entries of the watch page's quality menu once hls.js has read the ladder ("Auto", "240p", …). */
export async function qualityLevels(page: Page) {
  const menu = page.getByLabel('Quality');
  await page.waitForFunction('document.querySelectorAll("select.quality option").length > 1');
  return (await menu.locator('option').allTextContents()).map((text) => text.replace(/ \(.*\)$/, ''));
}

/** Picks `height` in the quality menu and waits until hls.js has switched to that level; answers the level index. */
export async function pickQuality(page: Page, height: number) {
  await page.getByLabel('Quality').selectOption({ label: `${height}p` });
  await page.waitForFunction(
    `document.querySelector('video.player').dataset.level === '${height}'`,
    undefined,
    {
      timeout: 15_000,
    },
  );
  return Number(await page.getByLabel('Quality').inputValue());
}

/**
 * Hovers the seek bar at `share` (0..1) of its width and checks the storyboard thumbnail it shows: visible, its
 * background a sprite that loads as a JPEG. Answers the sprite URL and the thumbnail's offset in the sprite.
 */
export async function expectStoryboardThumbnail(page: Page, share: number) {
  const bar = page.getByRole('slider', { name: 'Seek' });
  await page.waitForFunction('Number(document.querySelector("input.scrub").max) > 0');
  const box = (await bar.boundingBox()) as { x: number; y: number; width: number; height: number };
  // Storyboard cues load in the background: move until one shows.
  await expect
    .poll(
      async () => {
        await page.mouse.move(box.x + box.width * share - 1, box.y + box.height / 2);
        await page.mouse.move(box.x + box.width * share, box.y + box.height / 2);
        return page.locator('.storyboard-thumbnail:not([hidden])').count();
      },
      { timeout: 10_000 },
    )
    .toBe(1);
  const shown = (await page.evaluate(`(() => {
    const style = document.querySelector('.storyboard-thumbnail').style;
    return { image: style.backgroundImage, position: style.backgroundPosition, width: style.width };
  })()`)) as { image: string; position: string; width: string };
  const image = /^url\("(.*)"\)$/.exec(shown.image)?.[1] ?? '';
  // Not from the cache: the thumbnail's own request was not a CORS one, so its cached answer carries no CORS headers.
  const loaded = (await page.evaluate(
    `fetch(${JSON.stringify(image)}, { cache: 'no-store' }).then((response) => ({ status: response.status, type: response.headers.get('content-type') }))`,
  )) as { status: number; type: string };
  expect(loaded).toEqual({ status: 200, type: 'image/jpeg' });
  return { image, position: shown.position, width: shown.width };
}

/** Posts a top-level comment and answers the status the page announces. */
export async function comment(page: Page, text: string) {
  const status = page.locator('.comment-status');
  await page.getByLabel('Add a comment').fill(text);
  await page.getByRole('button', { name: 'Comment', exact: true }).click();
  await expect.poll(() => status.textContent()).not.toBe('');
  const announced = (await status.textContent()) ?? '';
  return announced;
}

/** Replies to the first comment by `author` (display name) on the watch page. */
export async function reply(page: Page, author: string, text: string) {
  await page
    .getByRole('button', { name: `Reply to ${author}` })
    .first()
    .click();
  await page.getByLabel(`Your reply to ${author}`).fill(text);
  await page.getByRole('button', { name: 'Post reply' }).click();
  await page
    .getByRole('list', { name: /^Replies to / })
    .getByText(text)
    .waitFor();
}

/** Edits the signed-in user's first comment on the watch page to `text`. */
export async function editComment(page: Page, text: string) {
  await page.getByRole('button', { name: 'Edit', exact: true }).first().click();
  await page.getByLabel('Edit your comment').fill(text);
  await page.getByRole('button', { name: 'Save comment' }).click();
  await page.getByRole('status').getByText('Your comment is updated.').waitFor();
}

/** Deletes the comment that reads `text` after confirming. */
export async function deleteComment(page: Page, text: string) {
  page.once('dialog', (dialog) => void dialog.accept());
  const item = page.locator('li.comment').filter({ has: page.getByText(text, { exact: true }) });
  await item
    .getByRole('button', { name: /^Delete the comment by / })
    .first()
    .click();
  await page.getByRole('status').getByText('The comment is deleted.').waitFor();
}

/** The video owner picks who may comment (the option's words). */
export async function setCommentPolicy(page: Page, policy: string) {
  await page.getByLabel('Who may comment').selectOption({ label: policy });
  await page.getByRole('status').getByText('Comment settings saved.').waitFor();
}

/** The video owner approves the first held comment by `author` (display name). */
export async function approveComment(page: Page, author: string) {
  await page
    .getByRole('button', { name: `Approve the comment by ${author}` })
    .first()
    .click();
  await page.getByRole('status').getByText('The comment is published.').waitFor();
}

/** Opens the report dialog of the watch page's video, reports it for `reason` (its label) with `details`. */
export async function report(page: Page, reason: string, details: string, onOpen?: () => Promise<void>) {
  await page.getByRole('button', { name: 'Report video' }).click();
  const dialog = page.getByRole('dialog', { name: 'Report video' });
  await dialog.waitFor();
  await dialog.getByLabel('Reason').selectOption({ label: reason });
  await dialog.getByLabel('Details (optional)').fill(details);
  await onOpen?.();
  await dialog.getByRole('button', { name: 'Send report' }).click();
  await page.getByRole('button', { name: 'Reported' }).waitFor();
}

/** An admin opens the reports queue from the header and removes the reported video after confirming. */
export async function adminRemoves(page: Page, videoId: string, onQueue?: () => Promise<void>) {
  await page.getByRole('link', { name: 'Reports' }).click();
  await page.getByRole('list', { name: 'Open reports' }).waitFor();
  await onQueue?.();
  page.once('dialog', (dialog) => void dialog.accept());
  await page.getByRole('button', { name: `Remove: video ${videoId}` }).click();
  await page.getByText(`Done: remove (video ${videoId}).`).waitFor();
}

/** Saves the watch page's video to a new playlist named `title`. */
export async function saveToNewPlaylist(page: Page, title: string) {
  await page.getByText('Save to playlist').click();
  await page.getByLabel('Playlist', { exact: true }).selectOption({ label: 'A new playlist…' });
  await page.getByLabel('New playlist title').fill(title);
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page.getByRole('status').getByRole('link', { name: title }).waitFor();
}
