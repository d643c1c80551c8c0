import { api, type Page } from '../api.ts';
import type { Playlist, PlaylistItem } from '../community-api.ts';
import { problemRegion } from '../components.ts';
import { counted, h } from '../dom.ts';
import { link, type PageView } from '../router.ts';
import { session } from '../session.ts';

/**
 * A playlist and its videos in order. Its owner (or an admin) can move a video up or down
 * (`PATCH /playlists/{id}/items/{videoId}`) or take it out (`DELETE …`).
 */
export async function playlistPage(params: Record<string, string>): Promise<PageView> {
  const id = encodeURIComponent(params.id ?? '');
  const playlist = await api<Playlist>('GET', `/playlists/${id}`);
  const user = session.user;
  const canEdit = !!user && (user.id === playlist.owner.id || user.role === 'admin');
  const items: PlaylistItem[] = [];
  let cursor: string | null = null;
  do {
    const page: Page<PlaylistItem> = await api<Page<PlaylistItem>>(
      'GET',
      `/playlists/${id}/items?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor && items.length < 500);

  const problem = problemRegion();
  const status = h('p', { role: 'status' });
  const list = h('ol', { class: 'playlist-items', 'aria-label': 'Videos in this playlist' });
  const render = () => {
    list.replaceChildren(
      ...items.map((item, index) => {
        const row = h(
          'li',
          { class: 'playlist-item' },
          link(`/watch/${item.video.id}`, {}, item.video.title),
          h('span', { class: 'meta' }, ` · ${item.video.owner.displayName || item.video.owner.username}`),
        );
        if (canEdit) {
          const move = (by: number, label: string) => {
            const button = h(
              'button',
              { type: 'button', class: 'secondary', disabled: !items[index + by] },
              label,
            );
            button.setAttribute('aria-label', `${label}: ${item.video.title}`);
            button.addEventListener('click', () => change(index, by, label));
            return button;
          };
          const remove = h('button', { type: 'button', class: 'danger' }, 'Remove');
          remove.setAttribute('aria-label', `Remove ${item.video.title}`);
          remove.addEventListener('click', () => change(index, 0, 'Remove'));
          row.append(h('span', { class: 'actions' }, move(-1, 'Move up'), move(1, 'Move down'), remove));
        }
        return row;
      }),
    );
  };
  const change = async (index: number, by: number, label: string) => {
    const item = items[index] as PlaylistItem;
    problem.clear();
    try {
      if (by === 0) {
        await api('DELETE', `/playlists/${id}/items/${item.video.id}`);
        items.splice(index, 1);
        status.textContent = `${item.video.title} is removed from the playlist.`;
      } else {
        const other = items[index + by] as PlaylistItem;
        await api('PATCH', `/playlists/${id}/items/${item.video.id}`, { position: other.position });
        [item.position, other.position] = [other.position, item.position];
        items[index] = other;
        items[index + by] = item;
        status.textContent = `${item.video.title} moved to position ${index + by + 1}.`;
      }
      render();
      // Keep the keyboard where it was: on the same button of the moved video, else on the list.
      const target = list.querySelector<HTMLButtonElement>(
        `button[aria-label="${CSS.escape(`${label}: ${item.video.title}`)}"]:not(:disabled)`,
      );
      (target ?? list).focus();
    } catch (error) {
      problem.show(error);
    }
  };
  list.tabIndex = -1;
  render();
  return {
    title: playlist.title,
    content: h(
      'div',
      { class: 'playlist' },
      h(
        'p',
        { class: 'meta' },
        'By ',
        link(
          `/channel/${playlist.owner.username}`,
          {},
          playlist.owner.displayName || playlist.owner.username,
        ),
        ` · ${counted(playlist.videoCount, 'video', 'videos')} · ${playlist.visibility}`,
      ),
      playlist.description ? h('p', { class: 'description' }, playlist.description) : undefined,
      problem.element,
      status,
      items.length ? list : h('p', { class: 'empty' }, 'This playlist is empty.'),
    ),
  };
}
