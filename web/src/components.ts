import { ApiProblem, api, type Page, type Video, type Visibility } from './api.ts';
import { counted, h } from './dom.ts';
import { link } from './router.ts';

/** One card of a grid: the poster when the media pipeline made one, a neutral placeholder otherwise. */
function videoCard(video: Video) {
  const poster = video.thumbnailUrl
    ? h('img', {
        class: 'poster',
        src: video.thumbnailUrl,
        alt: '',
        loading: 'lazy',
        width: 320,
        height: 180,
      })
    : h('div', { class: 'poster placeholder', 'aria-hidden': 'true' });
  return h(
    'li',
    { class: 'card' },
    link(
      `/watch/${video.id}`,
      { class: 'card-link' },
      poster,
      h('span', { class: 'card-title' }, video.title),
    ),
    h(
      'p',
      { class: 'card-meta' },
      link(`/channel/${video.owner.username}`, {}, video.owner.displayName || video.owner.username),
      ' · ',
      counted(video.viewCount, 'view', 'views'),
    ),
  );
}

/**
 * Fills `list` (inside `section`) page by page: the first page now, each next one behind a button labelled `more`
 * while the API answers a next cursor; `empty` replaces the section when there is nothing at all.
 */
export async function pagedList<T>(options: {
  section: HTMLElement;
  list: HTMLElement;
  more: string;
  page: (cursor: string | null) => Promise<Page<T>>;
  item: (item: T) => HTMLElement;
  empty: () => HTMLElement;
}) {
  const load = async (cursor: string | null) => {
    const page = await options.page(cursor);
    options.list.append(...page.items.map(options.item));
    if (!cursor && page.items.length === 0) options.section.replaceChildren(options.empty());
    if (page.nextCursor) {
      const next = page.nextCursor;
      const more = h('button', { type: 'button', class: 'secondary' }, options.more);
      more.addEventListener('click', () => {
        more.remove();
        void load(next);
      });
      options.section.append(more);
    }
  };
  await load(null);
}

/**
 * A grid of videos read page by page from `path` (a `GET /videos…` URL), with a "More videos" button while
 * the API has a next page.
 */
export async function videoGrid(path: string, label: string, empty: string) {
  const list = h('ul', { class: 'grid', 'aria-label': label });
  const section = h('section', { class: 'videos' }, list);
  const separator = path.includes('?') ? '&' : '?';
  await pagedList({
    section,
    list,
    more: 'More videos',
    page: (cursor) =>
      api<Page<Video>>('GET', cursor ? `${path}${separator}cursor=${encodeURIComponent(cursor)}` : path),
    item: videoCard,
    empty: () => h('p', { class: 'empty' }, empty),
  });
  return section;
}

/** The live region a form reports its problem in. */
export function problemRegion() {
  const region = h('div', { class: 'problem', role: 'alert' });
  return {
    element: region,
    show(error: unknown) {
      const problem = error instanceof ApiProblem ? error : new ApiProblem(0, String(error));
      region.replaceChildren(
        h('p', {}, problem.message),
        ...(problem.errors.length
          ? [h('ul', {}, ...problem.errors.map((field) => h('li', {}, `${field.path}: ${field.message}`)))]
          : []),
      );
    },
    clear() {
      region.replaceChildren();
    },
  };
}

/**
 * A form of `fields` whose submit button runs `submit`, disabled meanwhile; an API refusal shows in the form's
 * problem region, above the button. With `actions`, the button sits in a row with those other buttons.
 */
export function apiForm(
  fields: (HTMLElement | undefined)[],
  submitLabel: string,
  submit: () => Promise<void>,
  options: { className?: string; actions?: (HTMLElement | undefined)[] } = {},
) {
  const problem = problemRegion();
  const button = h('button', { type: 'submit' }, submitLabel);
  const form = h(
    'form',
    { class: options.className ?? 'stack' },
    ...fields,
    problem.element,
    options.actions ? h('div', { class: 'actions' }, button, ...options.actions) : button,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    problem.clear();
    button.disabled = true;
    try {
      await submit();
    } catch (error) {
      problem.show(error);
    } finally {
      button.disabled = false;
    }
  });
  return form;
}

let fieldCount = 0;

/** A labelled form field; `input` gets its id and the label's `for`. */
export function field(
  label: string,
  input: HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement,
  hint?: string,
) {
  const id = `field-${++fieldCount}`;
  input.id = id;
  const hintElement = hint ? h('span', { class: 'hint', id: `${id}-hint` }, hint) : undefined;
  if (hintElement) input.setAttribute('aria-describedby', hintElement.id);
  return h('div', { class: 'field' }, h('label', { for: id }, label), input, hintElement);
}

/** A toggle button whose state is `aria-pressed`. */
export function toggleButton(
  labels: { on: string; off: string },
  pressed: boolean,
  onToggle: (next: boolean) => Promise<void>,
) {
  const button = h('button', { type: 'button', class: 'toggle' });
  const show = (state: boolean) => {
    button.setAttribute('aria-pressed', String(state));
    button.textContent = state ? labels.on : labels.off;
  };
  show(pressed);
  button.addEventListener('click', async () => {
    const next = button.getAttribute('aria-pressed') !== 'true';
    button.disabled = true;
    try {
      await onToggle(next);
      show(next);
    } finally {
      button.disabled = false;
    }
  });
  return button;
}

/** The visibility choice of a video, `selected` chosen. */
export function visibilitySelect(selected: Visibility) {
  return h(
    'select',
    { name: 'visibility' },
    ...(['public', 'unlisted', 'private'] as const).map((value) =>
      h('option', { value, selected: value === selected }, value[0]?.toUpperCase() + value.slice(1)),
    ),
  );
}
