import { query } from '../api.ts';
import { videoGrid } from '../components.ts';
import { h } from '../dom.ts';
import { navigate, type PageView } from '../router.ts';

/** Home: the latest public videos, or the search results for `?q=`. */
export async function homePage(_: Record<string, string>, search: URLSearchParams): Promise<PageView> {
  const q = search.get('q')?.trim() ?? '';
  const input = h('input', { type: 'search', name: 'q', id: 'search-q', value: q, autocomplete: 'off' });
  const form = h(
    'form',
    { role: 'search', class: 'search' },
    h('label', { for: 'search-q' }, 'Search videos'),
    input,
    h('button', { type: 'submit' }, 'Search'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const words = input.value.trim();
    navigate(words ? `/${query({ q: words })}` : '/');
  });
  const grid = await videoGrid(
    `/videos${query({ q, limit: 24 })}`,
    q ? `Results for ${q}` : 'Latest videos',
    q ? 'No video matches your search.' : 'No videos yet.',
  );
  return { title: q ? `Search: ${q}` : 'Latest videos', content: h('div', {}, form, grid) };
}
