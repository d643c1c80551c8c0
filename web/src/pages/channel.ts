import { api, follows, type Profile } from '../api.ts';
import { toggleButton, videoGrid } from '../components.ts';
import { counted, h } from '../dom.ts';
import { playlistsSection } from '../playlists.ts';
import type { PageView } from '../router.ts';
import { session } from '../session.ts';

/** A channel: its public profile and its public videos. */
export async function channelPage(params: Record<string, string>): Promise<PageView> {
  const profile = await api<Profile>('GET', `/users/${encodeURIComponent(params.username ?? '')}`);
  const subscribers = h('span', {}, counted(profile.subscriberCount, 'subscriber', 'subscribers'));
  const user = session.user;
  let subscribe: HTMLElement | undefined;
  let block: HTMLElement | undefined;
  if (user && user.id !== profile.id) {
    const [{ blocked }, subscribed] = await Promise.all([
      api<{ blocked: boolean }>('GET', `/users/me/blocks/${profile.id}`),
      follows(profile.id),
    ]);
    block = toggleButton({ on: 'Blocked', off: 'Block' }, blocked, (next) =>
      api(next ? 'PUT' : 'DELETE', `/users/me/blocks/${profile.id}`),
    );
    subscribe = toggleButton({ on: 'Subscribed', off: 'Subscribe' }, subscribed, async (next) => {
      await api(next ? 'PUT' : 'DELETE', `/users/${profile.id}/subscription`);
      const fresh = await api<Profile>('GET', `/users/${profile.id}`);
      subscribers.textContent = counted(fresh.subscriberCount, 'subscriber', 'subscribers');
    });
  }
  const grid = await videoGrid(
    `/videos?owner=${profile.id}&limit=24`,
    `Videos by ${profile.displayName || profile.username}`,
    'This channel has no public videos yet.',
  );
  return {
    title: profile.displayName || profile.username,
    content: h(
      'div',
      { class: 'channel' },
      h(
        'p',
        { class: 'meta' },
        `@${profile.username} · `,
        subscribers,
        ' · ',
        counted(profile.videoCount, 'video', 'videos'),
      ),
      profile.bio ? h('p', { class: 'description' }, profile.bio) : undefined,
      h('div', { class: 'actions' }, subscribe, block),
      h('h2', {}, 'Videos'),
      grid,
      await playlistsSection(profile.username),
    ),
  };
}
