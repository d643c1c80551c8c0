import { randomBytes } from 'node:crypto';
import { BIG_CHANNEL } from '../scripts/seed-dataset.ts';
import { median, timed } from './measure.ts';

export interface FanOutFigures {
  subscribers: number;
  ms: number;
  floorMs: number;
}

/**
 * Times `fanOutPublished` for a new public video of the channel with the most subscribers against its floor: one
 * raw `INSERT … SELECT` of the same notifications into the same table (same indexes and constraints) for a twin
 * video. Rounds alternate which goes first; the medians are reported. Both videos and their notifications are
 * deleted after each round.
 *
 * @example
 * const { subscribers, ms, floorMs } = await measureFanOut({ rounds: 3 });
 */
export async function measureFanOut(options: { rounds: number }): Promise<FanOutFigures> {
  const { sql } = await import('#lib/db.ts');
  const { fanOutPublished } = await import('#lib/notifications/fan-out.ts');
  const [channel] = await sql<{ id: string; subscribers: number }[]>`
    select u.id, (select count(*)::int from subscriptions s where s.channel_id = u.id) as subscribers
    from users u where u.username = ${BIG_CHANNEL}
  `;
  if (!channel) throw new Error(`The dataset has no ${BIG_CHANNEL}: seed it first`);

  const newVideo = async () => {
    const [video] = await sql<{ id: string }[]>`
      insert into videos (owner_id, title, status, visibility, storage_key, file_name, declared_content_type,
                          declared_size_bytes, published_at)
      values (${channel.id}, 'Bench fan-out', 'ready', 'public', ${`bench/${randomBytes(8).toString('hex')}`},
              'clip.mp4', 'video/mp4', 1, now())
      returning id
    `;
    return video?.id ?? '';
  };
  const rawInsert = (videoId: string) => sql`
    insert into notifications (recipient_id, type, video_id, actor_id, created_at)
    select subscriber_id, 'video.published', ${videoId}, ${channel.id}, now()
    from subscriptions where channel_id = ${channel.id}
  `;

  const fanOutMs: number[] = [];
  const floorMs: number[] = [];
  for (let round = 0; round < options.rounds; round++) {
    const [fanned, raw] = [await newVideo(), await newVideo()];
    const measureFanOut = async () => {
      const [notified, ms] = await timed(() => fanOutPublished(fanned));
      if (notified !== channel.subscribers)
        throw new Error(`Fan-out notified ${notified} of ${channel.subscribers}`);
      fanOutMs.push(ms);
    };
    const measureFloor = async () => floorMs.push((await timed(() => rawInsert(raw)))[1]);
    if (round % 2 === 0) {
      await measureFloor();
      await measureFanOut();
    } else {
      await measureFanOut();
      await measureFloor();
    }
    await sql`delete from videos where id in (${fanned}, ${raw})`;
  }
  return { subscribers: channel.subscribers, ms: median(fanOutMs), floorMs: median(floorMs) };
}
