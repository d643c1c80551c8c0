import { api, type Page, type Profile, query, type User } from '../api.ts';
import { apiForm, field, pagedList } from '../components.ts';
import { h } from '../dom.ts';
import { link, type PageView } from '../router.ts';
import { session } from '../session.ts';

/** Display name and bio (`PATCH /users/me`), the header and channel page following. */
function profileSection(user: User, status: HTMLElement) {
  const displayName = h('input', { name: 'displayName', maxlength: 60, value: user.displayName });
  const bio = h('textarea', { name: 'bio', maxlength: 1000, rows: 3 }, user.bio);
  return h(
    'section',
    { 'aria-labelledby': 'profile-heading' },
    h('h2', { id: 'profile-heading' }, 'Profile'),
    apiForm([field('Display name', displayName), field('Bio', bio)], 'Save profile', async () => {
      const name = displayName.value.trim();
      session.updated(
        await api<User>('PATCH', '/users/me', { ...(name ? { displayName: name } : {}), bio: bio.value }),
      );
      status.textContent = 'Profile saved.';
    }),
  );
}

/** The words that hold comments on the caller's videos for review (`PUT /users/me/comment-filters`), one per line. */
async function watchedWordsSection(status: HTMLElement) {
  const { words } = await api<{ words: string[] }>('GET', '/users/me/comment-filters');
  const input = h('textarea', { name: 'words', rows: 5 }, words.join('\n'));
  return h(
    'section',
    { 'aria-labelledby': 'watched-words-heading' },
    h('h2', { id: 'watched-words-heading' }, 'Watched words'),
    apiForm(
      [
        field(
          'Hold comments on your videos that contain',
          input,
          'One word or phrase per line, any case. Comments with a link are always held.',
        ),
      ],
      'Save watched words',
      async () => {
        const saved = await api<{ words: string[] }>('PUT', '/users/me/comment-filters', {
          words: input.value.split('\n').filter((word) => word.trim()),
        });
        input.value = saved.words.join('\n');
        status.textContent = `Watched words saved: ${saved.words.length}.`;
      },
    ),
  );
}

/** The users the caller blocked, latest first, each with its way back. */
async function blockedSection(status: HTMLElement) {
  const list = h('ul', { class: 'blocked-users', 'aria-label': 'Blocked users' });
  const blocked = h('div', {}, list);
  const empty = () => h('p', { class: 'empty' }, 'You have not blocked anyone.');
  await pagedList({
    section: blocked,
    list,
    more: 'More blocked users',
    page: (cursor) => api<Page<Profile>>('GET', `/users/me/blocks${query({ limit: 50, cursor })}`),
    item: (profile) => {
      const name = profile.displayName || profile.username;
      const unblock = h('button', { type: 'button', class: 'secondary' }, 'Unblock');
      unblock.setAttribute('aria-label', `Unblock ${name}`);
      const item = h('li', {}, link(`/channel/${profile.username}`, {}, name), ' ', unblock);
      unblock.addEventListener('click', async () => {
        unblock.disabled = true;
        await api('DELETE', `/users/me/blocks/${profile.id}`);
        item.remove();
        if (!list.children.length) blocked.replaceChildren(empty());
        status.textContent = `${name} is unblocked.`;
      });
      return item;
    },
    empty,
  });
  return h(
    'section',
    { 'aria-labelledby': 'blocked-heading' },
    h('h2', { id: 'blocked-heading' }, 'Blocked users'),
    h('p', { class: 'hint' }, 'They cannot comment on your videos, and you do not see their comments.'),
    blocked,
  );
}

/** The signed-in user's settings: profile, watched words (for those who upload), blocked users. */
export async function settingsPage(): Promise<PageView> {
  const user = session.user;
  if (!user)
    return {
      title: 'Settings',
      content: h('p', {}, link('/sign-in', {}, 'Sign in'), ' to change your settings.'),
    };
  const status = h('p', { role: 'status' });
  return {
    title: 'Settings',
    content: h(
      'div',
      { class: 'settings stack' },
      status,
      profileSection(user, status),
      user.role === 'viewer' ? undefined : await watchedWordsSection(status),
      await blockedSection(status),
    ),
  };
}
