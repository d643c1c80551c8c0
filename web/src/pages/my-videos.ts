import { api, type Page, query, type Video, type Visibility } from '../api.ts';
import { apiForm, field, pagedList, problemRegion, visibilitySelect } from '../components.ts';
import { counted, h } from '../dom.ts';
import { processingBar } from '../processing.ts';
import { realtime } from '../realtime.ts';
import { link, type PageView } from '../router.ts';
import { session } from '../session.ts';

const STATUS_LABELS: Record<Video['status'], string> = {
  awaiting_upload: 'Awaiting upload',
  processing: 'Processing',
  ready: 'Ready',
  rejected: 'Rejected',
  removed: 'Removed',
};

function editForm(video: Video, onSaved: (video: Video) => void) {
  const title = h('input', { name: 'title', required: true, maxlength: 200, value: video.title });
  const description = h('textarea', { name: 'description', maxlength: 5000, rows: 3 }, video.description);
  const visibility = visibilitySelect(video.visibility);
  return apiForm(
    [field('Title', title), field('Description', description), field('Visibility', visibility)],
    'Save changes',
    async () =>
      onSaved(
        await api<Video>('PATCH', `/videos/${video.id}`, {
          title: title.value,
          description: description.value,
          visibility: visibility.value as Visibility,
        }),
      ),
  );
}

/** The poster of a ready video, fetched anew (past the browser's cache) after a new one was cut. */
function posterImage(video: Video) {
  const image = h('img', { class: 'poster', alt: `Poster of ${video.title}`, width: 320, height: 180 });
  if (video.thumbnailUrl) image.src = video.thumbnailUrl;
  return {
    element: image,
    async reload() {
      if (!video.thumbnailUrl) return;
      // `no-cors`: the poster URL redirects to storage, and a cross-origin redirect leaves no origin to allow.
      await fetch(video.thumbnailUrl, { cache: 'reload', mode: 'no-cors' }).catch(() => {});
      image.src = `${video.thumbnailUrl}`;
    },
  };
}

/**
 * "Choose the poster": the video plays in a `<video>`; *Use this frame* asks for the poster to be cut at its current
 * time, and the poster above reloads once the media pipeline reports it done over the WebSocket.
 */
function posterPicker(video: Video, poster: ReturnType<typeof posterImage>) {
  const player = h('video', { controls: true, playsinline: true, preload: 'metadata', class: 'player' });
  player.setAttribute('aria-label', `Frames of ${video.title}`);
  const status = h('p', { role: 'status' });
  const problem = problemRegion();
  const use = h('button', { type: 'button' }, 'Use this frame');
  const picker = h(
    'details',
    {},
    h('summary', {}, 'Choose the poster'),
    player,
    use,
    status,
    problem.element,
  );
  picker.addEventListener('toggle', async () => {
    if (!picker.open || player.src) return;
    const fresh = await api<Video>('GET', `/videos/${encodeURIComponent(video.id)}`);
    if (fresh.playback) player.src = fresh.playback.url;
  });
  use.addEventListener('click', async () => {
    problem.clear();
    const atSeconds = Math.round(player.currentTime * 100) / 100;
    try {
      await api('PUT', `/videos/${encodeURIComponent(video.id)}/poster`, { atSeconds });
    } catch (error) {
      problem.show(error);
      return;
    }
    status.textContent = `Making the poster from ${atSeconds} s…`;
    const stop = realtime.on('video.updated', (updated) => {
      if (updated.id !== video.id || updated.processing) return;
      stop();
      status.textContent = `The poster is now the frame at ${atSeconds} s.`;
      void poster.reload();
    });
  });
  return picker;
}

function videoRow(video: Video): HTMLElement {
  const row = h(
    'li',
    { class: 'my-video', 'data-video-id': video.id },
    h('h2', {}, link(`/watch/${video.id}`, {}, video.title)),
    h(
      'p',
      { class: 'meta' },
      h('span', { class: `status status-${video.status}` }, STATUS_LABELS[video.status]),
      video.rejectionReason ? ` (${video.rejectionReason.replaceAll('_', ' ')})` : '',
      ` · ${video.visibility} · ${counted(video.viewCount, 'view', 'views')} · ${counted(video.likeCount, 'like', 'likes')}`,
    ),
  );
  if (video.status !== 'ready' || video.processing) row.append(processingBar(video));
  if (video.status === 'awaiting_upload')
    row.append(
      h(
        'p',
        {},
        link('/upload', {}, 'Resume the upload'),
        ' (this browser keeps the file; elsewhere, add the same file again)',
      ),
    );
  if (video.rejectionReason === 'processing_failed') {
    const reprocess = h('button', { type: 'button', class: 'secondary' }, 'Process again');
    reprocess.addEventListener('click', async () => {
      reprocess.disabled = true;
      await api('POST', `/videos/${encodeURIComponent(video.id)}/reprocess`);
      row.replaceWith(videoRow({ ...video, status: 'processing', rejectionReason: undefined }));
    });
    row.append(reprocess);
  }
  if (video.status === 'ready') {
    const poster = posterImage(video);
    row.append(poster.element, posterPicker(video, poster));
  }
  const remove = h('button', { type: 'button', class: 'danger' }, 'Delete');
  remove.setAttribute('aria-label', `Delete ${video.title}`);
  remove.addEventListener('click', async () => {
    if (!window.confirm(`Delete “${video.title}”? This cannot be undone.`)) return;
    await api('DELETE', `/videos/${video.id}`);
    row.remove();
  });
  const edit = h(
    'details',
    {},
    h('summary', {}, 'Edit details'),
    editForm(video, (saved) => row.replaceWith(videoRow(saved))),
  );
  row.append(edit, remove);
  return row;
}

/**
 * The signed-in creator's own videos (`GET /users/me/videos`): every status and visibility, processing live over the
 * WebSocket, unfinished uploads with their way back to the upload page.
 */
export async function myVideosPage(): Promise<PageView> {
  if (!session.user)
    return {
      title: 'My videos',
      content: h('p', {}, link('/sign-in', {}, 'Sign in'), ' to manage your videos.'),
    };
  const list = h('ul', { class: 'my-videos', 'aria-label': 'Your videos' });
  const section = h('section', {}, list);
  await pagedList({
    section,
    list,
    more: 'More videos',
    page: (cursor) => api<Page<Video>>('GET', `/users/me/videos${query({ limit: 50, cursor })}`),
    item: videoRow,
    empty: () => h('p', { class: 'empty' }, 'You have no videos yet. ', link('/upload', {}, 'Upload one')),
  });
  return { title: 'My videos', content: section };
}
