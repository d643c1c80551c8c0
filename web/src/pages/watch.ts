import { ApiProblem, api, follows, type Video } from '../api.ts';
import { commentsSection } from '../comments.ts';
import { toggleButton } from '../components.ts';
import { counted, h } from '../dom.ts';
import { videoPlayer } from '../player.ts';
import { saveToPlaylist } from '../playlists.ts';
import { processingBar } from '../processing.ts';
import { reportButton } from '../report-dialog.ts';
import { link, type PageView } from '../router.ts';
import { session } from '../session.ts';

/** A video that does not exist, was deleted, or was taken down: said plainly rather than as an error. */
function notAvailable(): PageView {
  return {
    title: 'Video not available',
    content: h(
      'div',
      { class: 'watch' },
      h(
        'p',
        { class: 'notice', role: 'status' },
        'This video is not available: it may have been deleted, made private or removed after a report.',
      ),
      h('p', {}, link('/', {}, 'Browse the latest videos')),
    ),
  };
}

export async function watchPage(params: Record<string, string>): Promise<PageView> {
  const id = encodeURIComponent(params.id ?? '');
  const video = await api<Video>('GET', `/videos/${id}`).catch((error: unknown) => {
    if (error instanceof ApiProblem && error.status === 404) return undefined;
    throw error;
  });
  if (!video) return notAvailable();
  const user = session.user;
  const { player, element: playerBox } = video.playback
    ? await videoPlayer(video.title, video.playback)
    : { player: h('video'), element: undefined };
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
    const theirs = user.id !== video.owner.id;
    const [liked, subscribed] = await Promise.all([
      // Only a ready video can be liked (the API answers 409 before).
      video.status === 'ready'
        ? api<{ liked: boolean }>('GET', `/videos/${id}/like`).then((state) => state.liked)
        : false,
      theirs && follows(video.owner.id),
    ]);
    actions.append(
      toggleButton({ on: 'Liked', off: 'Like' }, liked, async (like) => {
        await api(like ? 'PUT' : 'DELETE', `/videos/${id}/like`);
        await refreshLikes();
      }),
    );
    if (theirs) {
      const owner = encodeURIComponent(video.owner.id);
      actions.append(
        toggleButton({ on: 'Subscribed', off: 'Subscribe' }, subscribed, (subscribe) =>
          api(subscribe ? 'PUT' : 'DELETE', `/users/${owner}/subscription`),
        ),
      );
    }
  }

  if (user && user.id !== video.owner.id)
    actions.append(reportButton({ type: 'video', id: video.id }, 'Report video'));
  const save = await saveToPlaylist(video.id);

  // Only the owner receives a video's updates: they watch it process here, live, until every rendition is done.
  const status =
    video.status === 'removed'
      ? h(
          'p',
          { class: 'notice', role: 'status' },
          'This video was removed after a report: only you and the admins can see it.',
        )
      : user?.id === video.owner.id && (video.status !== 'ready' || video.processing)
        ? processingBar(video)
        : video.status === 'ready'
          ? undefined
          : h('p', { class: 'notice', role: 'status' }, `This video is ${video.status.replace('_', ' ')}.`);
  return {
    title: video.title,
    content: h(
      'div',
      { class: 'watch' },
      status,
      playerBox,
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
      save,
      h('p', { class: 'description' }, video.description),
      video.status === 'ready' ? await commentsSection(video) : undefined,
    ),
  };
}
