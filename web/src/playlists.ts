import { api, type Page } from './api.ts';
import type { Playlist } from './community-api.ts';
import { field, problemRegion } from './components.ts';
import { counted, h } from './dom.ts';
import { link } from './router.ts';
import { session } from './session.ts';

/** A user's playlists (`GET /users/{idOrUsername}/playlists`: public ones, all of them for the owner). */
export async function userPlaylists(user: string) {
  const page = await api<Page<Playlist>>('GET', `/users/${encodeURIComponent(user)}/playlists?limit=50`);
  return page.items;
}

/** The channel page's playlists: a list of links to `#/playlist/<id>`. */
export async function playlistsSection(username: string) {
  const playlists = await userPlaylists(username);
  return h(
    'section',
    { class: 'playlists', 'aria-labelledby': 'playlists-heading' },
    h('h2', { id: 'playlists-heading' }, 'Playlists'),
    playlists.length
      ? h(
          'ul',
          { class: 'playlist-list', 'aria-label': 'Playlists' },
          ...playlists.map((playlist) =>
            h(
              'li',
              {},
              link(`/playlist/${playlist.id}`, {}, playlist.title),
              h('span', { class: 'meta' }, ` · ${counted(playlist.videoCount, 'video', 'videos')}`),
            ),
          ),
        )
      : h('p', { class: 'empty' }, 'No playlists yet.'),
  );
}

/**
 * "Save to playlist" on the watch page (signed-in users): pick one of your playlists, or name a new one, and the
 * video is added (`POST /playlists/{id}/items`).
 */
export async function saveToPlaylist(videoId: string) {
  const user = session.user;
  if (!user) return undefined;
  const mine = await userPlaylists(user.id);
  const choice = h(
    'select',
    { name: 'playlist' },
    ...mine.map((playlist) => h('option', { value: playlist.id }, playlist.title)),
    h('option', { value: '' }, 'A new playlist…'),
  );
  const title = h('input', { name: 'title', maxlength: 200 });
  const newTitle = field('New playlist title', title);
  const showTitle = () => {
    newTitle.hidden = choice.value !== '';
    title.required = choice.value === '';
  };
  choice.addEventListener('change', showTitle);
  showTitle();
  const problem = problemRegion();
  const status = h('p', { role: 'status' });
  const form = h(
    'form',
    { class: 'stack' },
    field('Playlist', choice),
    newTitle,
    problem.element,
    h('button', { type: 'submit' }, 'Save'),
    status,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    problem.clear();
    try {
      let playlist = mine.find((candidate) => candidate.id === choice.value);
      if (!playlist) {
        playlist = await api<Playlist>('POST', '/playlists', { title: title.value });
        mine.push(playlist);
        choice.prepend(h('option', { value: playlist.id }, playlist.title));
        choice.value = playlist.id;
        showTitle();
      }
      await api('POST', `/playlists/${playlist.id}/items`, { videoId });
      status.replaceChildren('Saved to ', link(`/playlist/${playlist.id}`, {}, playlist.title), '.');
    } catch (error) {
      problem.show(error);
    }
  });
  return h('details', { class: 'save-to-playlist' }, h('summary', {}, 'Save to playlist'), form);
}
