import { api, type Video, type Visibility } from '../api.ts';
import { field, problemRegion, visibilitySelect } from '../components.ts';
import { h } from '../dom.ts';
import { processingBar } from '../processing.ts';
import { link, type PageView } from '../router.ts';
import { session } from '../session.ts';

type Uploader = ReturnType<typeof import('../uploader.ts').createUploader>;

/** The form of the page on screen now: the uploader outlives a page (an upload goes on while you browse). */
let form:
  | { title: HTMLInputElement; description: HTMLTextAreaElement; visibility: HTMLSelectElement }
  | undefined;
let finished: HTMLElement | undefined;
let problem: ReturnType<typeof problemRegion> | undefined;
let current: { userId: string; uppy: Uploader } | undefined;

/** Uppy's own stylesheet (bundled by the build as `uppy.css`), linked the first time the page opens. */
function uppyStylesheet() {
  if (document.querySelector('link[data-uppy]')) return Promise.resolve();
  const sheet = h('link', { rel: 'stylesheet', href: 'uppy.css', 'data-uppy': true });
  const loaded = new Promise((resolve) => {
    sheet.addEventListener('load', resolve);
    sheet.addEventListener('error', resolve);
  });
  document.head.append(sheet);
  return loaded;
}

/** Below the Dashboard: each uploaded video with its live processing bar. */
async function showFinished(videoId: string) {
  const video = await api<Video>('GET', `/videos/${encodeURIComponent(videoId)}`);
  finished?.append(
    h(
      'li',
      { class: 'my-video' },
      h('h2', {}, link(`/watch/${video.id}`, {}, video.title)),
      processingBar(video),
    ),
  );
}

/** The uploader of `userId`, made once (with Uppy loaded as its own chunk) and kept while they stay signed in. */
async function uploaderOf(userId: string) {
  if (current?.userId === userId) return current.uppy;
  current?.uppy.destroy();
  const { createUploader } = await import('../uploader.ts');
  const uppy = createUploader(userId, {
    title: () => form?.title.value ?? '',
    description: () => form?.description.value ?? '',
    visibility: () => (form?.visibility.value ?? 'public') as Visibility,
  });
  uppy.on('upload-success', (file) => {
    const videoId = file?.meta.videoId;
    if (videoId) void showFinished(videoId).catch((error) => problem?.show(error));
  });
  uppy.on('upload-error', (_, error) => problem?.show(error));
  current = { userId, uppy };
  return uppy;
}

/**
 * `#/upload`: the details every file of the next upload gets (a file's own title, from its card, wins), a stock Uppy Dashboard (progress, pause and resume,
 * resume after a reload), then each uploaded video's processing, live over the WebSocket.
 */
export async function uploadPage(): Promise<PageView> {
  const user = session.user;
  if (!user)
    return { title: 'Upload', content: h('p', {}, link('/sign-in', {}, 'Sign in'), ' to upload videos.') };
  if (user.role === 'viewer')
    return { title: 'Upload', content: h('p', {}, 'Uploading needs a creator account.') };
  form = {
    title: h('input', { name: 'title', maxlength: 200 }),
    description: h('textarea', { name: 'description', maxlength: 5000, rows: 3 }),
    visibility: visibilitySelect('public'),
  };
  problem = problemRegion();
  finished = h('ul', { class: 'my-videos', 'aria-label': 'Uploaded videos' });
  const dashboard = h('div', { class: 'uploader' });
  const [uppy] = await Promise.all([uploaderOf(user.id), uppyStylesheet()]);
  const { mountDashboard } = await import('../uploader.ts');
  mountDashboard(uppy, dashboard);
  return {
    title: 'Upload',
    content: h(
      'div',
      { class: 'stack' },
      h(
        'div',
        { class: 'stack narrow' },
        field(
          'Title',
          form.title,
          'For every file without a title of its own (edit a file in the list to give it one); empty: the file’s name.',
        ),
        field('Description', form.description),
        field('Visibility', form.visibility),
      ),
      problem.element,
      h(
        'section',
        { 'aria-label': 'Files' },
        h(
          'p',
          { class: 'hint' },
          'Video files. Pause and resume at will; after a reload, resume where you were.',
        ),
        dashboard,
      ),
      finished,
    ),
  };
}
