import { h, replaceContent } from './dom.ts';

/** What a page renders: its title (for the tab and the heading) and its content. */
export interface PageView {
  title: string;
  content: Node;
}

export type PageRender = (
  params: Record<string, string>,
  search: URLSearchParams,
) => Promise<PageView> | PageView;

interface RouteEntry {
  pattern: RegExp;
  names: string[];
  render: PageRender;
}

/** A path segment as typed; one with a malformed escape (`%E0%A4`) stays as it is rather than stopping the app. */
function decoded(segment: string) {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * Hash routes (`#/watch/<id>`): a static host (S3 + CloudFront) serves index.html for every page without
 * rewrite rules.
 */
export function createRouter(main: HTMLElement, notFound: PageRender) {
  const routes: RouteEntry[] = [];
  let rendering = 0;

  async function show() {
    const [path = '/', searchText = ''] = location.hash.replace(/^#/, '').split('?');
    const search = new URLSearchParams(searchText);
    const entry = routes.find((route) => route.pattern.test(path || '/'));
    const match = entry?.pattern.exec(path || '/');
    const params = Object.fromEntries(
      (entry?.names ?? []).map((name, index) => [name, decoded(match?.[index + 1] ?? '')]),
    );
    const ticket = ++rendering;
    main.setAttribute('aria-busy', 'true');
    const view = await Promise.resolve((entry?.render ?? notFound)(params, search)).catch((error: Error) => ({
      title: 'Something went wrong',
      content: h('p', { role: 'alert' }, error.message),
    }));
    if (ticket !== rendering) return;
    document.title = `${view.title} · ClipIQ`;
    const heading = h('h1', { tabindex: '-1' }, view.title);
    replaceContent(main, heading, view.content);
    main.removeAttribute('aria-busy');
    // Screen readers and keyboards start on the new page's heading, as after a full page load.
    heading.focus({ preventScroll: false });
  }

  return {
    add(path: string, render: PageRender) {
      const names: string[] = [];
      const source = path.replace(/:(\w+)/g, (_, name: string) => {
        names.push(name);
        return '([^/]+)';
      });
      routes.push({ pattern: new RegExp(`^${source}$`), names, render });
    },
    start() {
      window.addEventListener('hashchange', () => void show());
      return show();
    },
    reload: show,
  };
}

/** Goes to a page (`navigate('/watch/123')`). */
export function navigate(path: string) {
  location.hash = `#${path}`;
}

export function link(path: string, attributes: Record<string, string>, ...children: (Node | string)[]) {
  return h('a', { href: `#${path}`, ...attributes }, ...children);
}
