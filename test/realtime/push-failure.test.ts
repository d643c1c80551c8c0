import type { Server } from 'node:http';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { sql } from '#lib/db.ts';
import { fanOutPublished } from '#lib/notifications/fan-out.ts';
import { createUser, createVideo, subscribe } from '../support/factories.ts';
import { loadSharedSample } from '../support/media-fixtures.ts';
import { uploadVideo } from '../support/upload-factories.ts';
import { storedVideo } from '../support/video-rows.ts';

// A management endpoint that takes every push and never answers, as an overloaded or unreachable API would.
const stalled = await vi.hoisted(async () => {
  const { createServer: create } = await import('node:http');
  const server = create(() => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  process.env.WEBSOCKET_URL = `ws://127.0.0.1:${(server.address() as { port: number }).port}`;
  return server as Server;
});

afterAll(() => {
  stalled.closeAllConnections();
  stalled.close();
});

/** A user with an open connection row, as `$connect` leaves it. */
async function withConnection(user: { id: string }, connectionId: string) {
  await sql`insert into realtime_connections (connection_id, user_id) values (${connectionId}, ${user.id})`;
}

describe('a push that cannot be delivered', () => {
  it('never fails nor holds up the fan-out: every subscriber is notified, about one send timeout later', async () => {
    // Prepare
    const channel = await createUser({ role: 'creator' });
    const fans = [await createUser(), await createUser(), await createUser()];
    await subscribe(channel, fans);
    for (const [index, fan] of fans.entries()) await withConnection(fan, `stalled-${index}`);
    const video = await createVideo(channel);
    const started = Date.now();

    // Act
    const inserted = await fanOutPublished(video.id);

    // Assess
    expect(inserted).toBe(3);
    expect(Date.now() - started).toBeLessThan(3_500);
    const [row] = await sql<{ count: number }[]>`
      select count(*)::int from notifications where video_id = ${video.id}
    `;
    expect(row?.count).toBe(3);
  });

  it('never fails an ingest: the video becomes ready', async () => {
    // Prepare
    const creator = await createUser({ role: 'creator' });
    await withConnection(creator, 'stalled-owner');

    // Act
    const videoId = await uploadVideo(creator, await loadSharedSample());

    // Assess
    expect(await storedVideo(videoId)).toMatchObject({ status: 'ready' });
  });
});
