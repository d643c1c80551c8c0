import { api, type Page, type Profile, type Video } from '../api.ts';
import { toggleButton } from '../components.ts';
import { counted, h } from '../dom.ts';
import { link, type PageView } from '../router.ts';
import { session } from '../session.ts';

/**
 * Plays the HLS ladder when the API hands one out (hls.js, loaded only then; Safari plays HLS natively),
 * else the original file.
 */
async function attachSource(player: HTMLVideoElement, playback: NonNullable<Video['playback']>) {
  if (playback.poster) player.poster = playback.poster;
  if (playback.hls) {
    // hls.js wherever Media Source Extensions exist (Chromium's own HLS support is young); native HLS elsewhere
    // (iOS Safari); the original file as the last resort.
    const { default: Hls } = await import('hls.js');
    if (Hls.isSupported()) {
      const hls = new Hls();
      hls.loadSource(playback.hls);
      hls.attachMedia(player);
      return;
    }
    if (player.canPlayType('application/vnd.apple.mpegurl')) {
      player.src = playback.hls;
      return;
    }
  }
  player.src = playback.url;
}

/** Whether the signed-in user follows `channelId` (the first 100 subscriptions: the API has no direct check). */
async function follows(channelId: string) {
  const page = await api<Page<Profile>>('GET', '/users/me/subscriptions?limit=100');
  return page.items.some((channel) => channel.id === channelId);
}

export async function watchPage(params: Record<string, string>): Promise<PageView> {
  const id = encodeURIComponent(params.id ?? '');
  const video = await api<Video>('GET', `/videos/${id}`);
  const user = session.user;
  const player = h('video', { controls: true, playsinline: true, preload: 'metadata', class: 'player' });
  player.setAttribute('aria-label', video.title);
  if (video.playback) await attachSource(player, video.playback);
  let viewCounted = false;
  player.addEventListener('playing', () => {
    if (viewCounted) return;
    viewCounted = true;
    void api('POST', `/videos/${id}/views`).catch(() => {});
  });

  const likes = h(
    'span',
    { class: 'count', 'aria-live': 'polite' },
    counted(video.likeCount, 'like', 'likes'),
  );
  const refreshLikes = async () => {
    const fresh = await api<Video>('GET', `/videos/${id}`);
    likes.textContent = counted(fresh.likeCount, 'like', 'likes');
  };
  const actions = h('div', { class: 'actions' });
  if (!user) {
    actions.append(link('/sign-in', { class: 'button secondary' }, 'Sign in to like and subscribe'));
  } else {
    // The API does not say whether the caller already likes a video; liking is idempotent either way.
    actions.append(
      toggleButton({ on: 'Liked', off: 'Like' }, false, async (like) => {
        await api(like ? 'PUT' : 'DELETE', `/videos/${id}/like`);
        await refreshLikes();
      }),
    );
    if (user.id !== video.owner.id) {
      const owner = encodeURIComponent(video.owner.id);
      actions.append(
        toggleButton({ on: 'Subscribed', off: 'Subscribe' }, await follows(video.owner.id), (subscribe) =>
          api(subscribe ? 'PUT' : 'DELETE', `/users/${owner}/subscription`),
        ),
      );
    }
  }

  const status =
    video.status === 'ready'
      ? undefined
      : h('p', { class: 'notice', role: 'status' }, `This video is ${video.status.replace('_', ' ')}.`);
  return {
    title: video.title,
    content: h(
      'div',
      { class: 'watch' },
      status,
      video.playback ? player : undefined,
      h(
        'p',
        { class: 'meta' },
        link(`/channel/${video.owner.username}`, {}, video.owner.displayName || video.owner.username),
        ' · ',
        counted(video.viewCount, 'view', 'views'),
        ' · ',
        likes,
      ),
      actions,
      h('p', { class: 'description' }, video.description),
    ),
  };
}
