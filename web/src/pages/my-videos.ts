import { api, type Page, type Video, type Visibility } from '../api.ts';
import { field, problemRegion } from '../components.ts';
import { counted, h } from '../dom.ts';
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
  const visibility = h(
    'select',
    { name: 'visibility' },
    ...(['public', 'unlisted', 'private'] as const).map((value) =>
      h('option', { value, selected: value === video.visibility }, value[0]?.toUpperCase() + value.slice(1)),
    ),
  );
  const problem = problemRegion();
  const form = h(
    'form',
    { class: 'stack' },
    field('Title', title),
    field('Description', description),
    field('Visibility', visibility),
    problem.element,
    h('button', { type: 'submit' }, 'Save changes'),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    problem.clear();
    try {
      onSaved(
        await api<Video>('PATCH', `/videos/${video.id}`, {
          title: title.value,
          description: description.value,
          visibility: visibility.value as Visibility,
        }),
      );
    } catch (error) {
      problem.show(error);
    }
  });
  return form;
}

function videoRow(video: Video): HTMLElement {
  const row = h(
    'li',
    { class: 'my-video' },
    h('h2', {}, link(`/watch/${video.id}`, {}, video.title)),
    h(
      'p',
      { class: 'meta' },
      h('span', { class: `status status-${video.status}` }, STATUS_LABELS[video.status]),
      video.rejectionReason ? ` (${video.rejectionReason.replaceAll('_', ' ')})` : '',
      ` · ${video.visibility} · ${counted(video.viewCount, 'view', 'views')} · ${counted(video.likeCount, 'like', 'likes')}`,
    ),
  );
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
 * The signed-in creator's videos. Today's API lists public, ready videos by owner only; the uploads slice adds
 * the unfinished and private ones (`GET /users/me/uploads`) to this page.
 */
export async function myVideosPage(): Promise<PageView> {
  const user = session.user;
  if (!user)
    return {
      title: 'My videos',
      content: h('p', {}, link('/sign-in', {}, 'Sign in'), ' to manage your videos.'),
    };
  const page = await api<Page<Video>>('GET', `/videos?owner=${user.id}&limit=100`);
  return {
    title: 'My videos',
    content: page.items.length
      ? h('ul', { class: 'my-videos', 'aria-label': 'Your videos' }, ...page.items.map(videoRow))
      : h('p', { class: 'empty' }, 'You have no published videos yet.'),
  };
}
