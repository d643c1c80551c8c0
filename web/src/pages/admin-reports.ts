import { api, type Page, type Profile, type Video } from '../api.ts';
import { type AdminReport, type Comment, REPORT_REASONS } from '../community-api.ts';
import { problemRegion } from '../components.ts';
import { counted, h } from '../dom.ts';
import { link, type PageView } from '../router.ts';
import { session } from '../session.ts';

type Action = 'dismiss' | 'remove' | 'suspend';

const CONFIRMATIONS: Record<Action, string> = {
  dismiss: 'Dismiss these reports? The target stays as it is.',
  remove: 'Take this down for everyone but admins?',
  suspend: 'Suspend the account responsible? They are signed out and their videos and comments are hidden.',
};

/**
 * What was reported, named as the admin knows it: a video by its title, a user by their username, a comment by its
 * author and video, its text quoted below.
 */
async function target(report: AdminReport): Promise<{ name: HTMLElement; quote?: HTMLElement }> {
  const id = encodeURIComponent(report.targetId);
  if (report.targetType === 'video') {
    const video = await api<Video>('GET', `/videos/${id}`).catch(() => undefined);
    return { name: link(`/watch/${report.targetId}`, {}, `Video: ${video?.title ?? report.targetId}`) };
  }
  if (report.targetType === 'user') {
    const profile = await api<Profile>('GET', `/users/${id}`).catch(() => undefined);
    const username = profile?.username ?? report.targetId;
    return { name: link(`/channel/${username}`, {}, `User: @${username}`) };
  }
  const comment = await api<Comment>('GET', `/comments/${id}`).catch(() => undefined);
  if (!comment) return { name: h('span', {}, `Comment ${report.targetId} (deleted)`) };
  const video = await api<Video>('GET', `/videos/${encodeURIComponent(comment.videoId)}`).catch(
    () => undefined,
  );
  return {
    name: link(
      `/watch/${comment.videoId}`,
      {},
      `Comment by @${comment.author.username} on ${video?.title ?? comment.videoId}`,
    ),
    quote: h('blockquote', { class: 'reported-comment' }, comment.body),
  };
}

/**
 * The admins' queue of open reports (`GET /admin/reports`), one entry per reported target, each dismissed,
 * removed or its owner suspended after a confirmation (`POST /admin/reports/{id}/resolve`).
 */
export async function adminReportsPage(): Promise<PageView> {
  if (session.user?.role !== 'admin')
    return {
      title: 'Reports',
      content: h('p', { class: 'notice' }, 'Only admins can see the reports queue.'),
    };
  const list = h('ul', { class: 'reports', 'aria-label': 'Open reports' });
  const status = h('p', { role: 'status' });
  const problem = problemRegion();
  const more = h('button', { type: 'button', class: 'secondary', hidden: true }, 'More reports');
  let cursor: string | null = null;

  const row = async (report: AdminReport) => {
    const reported = await target(report);
    const item = h(
      'li',
      { class: 'report' },
      h('h2', {}, reported.name),
      reported.quote,
      h(
        'p',
        { class: 'meta' },
        `${REPORT_REASONS[report.reason] ?? report.reason} · ${counted(report.reportCount, 'report', 'reports')} · first by @${report.reporter.username} · `,
        h('time', { datetime: report.createdAt }, new Date(report.createdAt).toLocaleString('en')),
      ),
      report.details ? h('p', { class: 'description' }, report.details) : undefined,
    );
    const actions = h('div', { class: 'actions' });
    const button = (action: Action, label: string, style: string) => {
      const element = h('button', { type: 'button', class: style }, label);
      element.setAttribute('aria-label', `${label}: ${report.targetType} ${report.targetId}`);
      element.addEventListener('click', async () => {
        if (!confirm(CONFIRMATIONS[action])) return;
        problem.clear();
        try {
          await api('POST', `/admin/reports/${report.id}/resolve`, { action });
          item.remove();
          status.textContent = `Done: ${label.toLowerCase()} (${report.targetType} ${report.targetId}).`;
          if (!list.children.length) list.append(h('li', { class: 'empty' }, 'No open reports.'));
          list.focus();
        } catch (error) {
          problem.show(error);
        }
      });
      return element;
    };
    actions.append(button('dismiss', 'Dismiss', 'secondary'));
    if (report.targetType !== 'user') actions.append(button('remove', 'Remove', 'danger'));
    actions.append(button('suspend', report.targetType === 'user' ? 'Suspend' : 'Suspend owner', 'danger'));
    item.append(actions);
    return item;
  };

  const load = async () => {
    const page = await api<Page<AdminReport>>(
      'GET',
      `/admin/reports?status=open&limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    list.append(...(await Promise.all(page.items.map(row))));
    if (!list.children.length) list.append(h('li', { class: 'empty' }, 'No open reports.'));
    cursor = page.nextCursor;
    more.hidden = !cursor;
  };
  more.addEventListener('click', () => void load());
  list.tabIndex = -1;
  await load();
  return { title: 'Reports', content: h('div', {}, problem.element, status, list, more) };
}
