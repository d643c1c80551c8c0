import { api, type Page, type Video } from './api.ts';
import type { Comment } from './community-api.ts';
import { apiForm, field } from './components.ts';
import { counted, h } from './dom.ts';
import { reportButton } from './report-dialog.ts';
import { link } from './router.ts';
import { session } from './session.ts';

const PAGE_SIZE = 20;

function when(iso: string) {
  return h('time', { datetime: iso }, new Date(iso).toLocaleString('en'));
}

/** Runs a click's API call, announcing a refusal in `status` rather than dropping it. */
async function announcing(status: HTMLElement, action: () => Promise<void>) {
  try {
    await action();
  } catch (error) {
    status.textContent = error instanceof Error ? error.message : String(error);
  }
}

/** What the API did with a new comment, in words: held ones wait for the channel's review. */
function postedMessage(comment: Comment) {
  return comment.status === 'held'
    ? 'Your comment is held for review: it appears once the channel approves it.'
    : 'Your comment is published.';
}

/**
 * A labelled text area with a submit button (and *Cancel* when `onCancel` is given); `onSubmit` gets the text, and
 * a problem it throws is shown in the form.
 */
function commentForm(
  label: string,
  submit: string,
  initial: string,
  onSubmit: (body: string) => Promise<void>,
  onCancel?: () => void,
) {
  const body = h('textarea', { name: 'body', required: true, maxlength: 5000, rows: 3 }, initial);
  const cancel = onCancel ? h('button', { type: 'button', class: 'secondary' }, 'Cancel') : undefined;
  cancel?.addEventListener('click', onCancel as () => void);
  const form = apiForm(
    [field(label, body)],
    submit,
    async () => {
      await onSubmit(body.value);
      body.value = '';
    },
    { className: 'stack comment-form', actions: [cancel] },
  );
  return { form, body };
}

/**
 * Opens a comment form in place of `opener` (disabled meanwhile), put into the page by `place`: it closes, focus back
 * on `opener`, when cancelled or once `onSubmit` succeeds.
 */
function openInlineForm(
  opener: HTMLButtonElement,
  place: (form: HTMLElement) => void,
  options: { label: string; submit: string; initial: string; onSubmit: (body: string) => Promise<void> },
) {
  opener.disabled = true;
  const close = () => {
    form.remove();
    opener.disabled = false;
    opener.focus();
  };
  const { form, body } = commentForm(
    options.label,
    options.submit,
    options.initial,
    async (text) => {
      await options.onSubmit(text);
      close();
    },
    close,
  );
  place(form);
  body.focus();
}

const POLICIES = {
  open: 'Open (comments with links or your watched words wait for review)',
  approval: 'Every comment waits for your review',
  closed: 'Comments turned off',
} as const;

/**
 * The video owner's (and admins') tools: the comment policy (`PATCH /videos/{id}`) and the queue of held comments
 * (`?status=held`) to approve or reject. `onChange` runs after anything that changes what viewers see.
 */
async function moderationTools(
  video: Video,
  status: HTMLElement,
  onChange: (policy: Video['commentPolicy']) => Promise<void>,
) {
  const policy = h(
    'select',
    { name: 'commentPolicy' },
    ...Object.entries(POLICIES).map(([value, text]) =>
      h('option', { value, selected: value === (video.commentPolicy ?? 'open') }, text),
    ),
  );
  policy.addEventListener('change', () =>
    announcing(status, async () => {
      const saved = await api<Video>('PATCH', `/videos/${video.id}`, { commentPolicy: policy.value });
      await onChange(saved.commentPolicy);
      status.textContent = 'Comment settings saved.';
    }),
  );
  const held = await api<Page<Comment>>('GET', `/videos/${video.id}/comments?status=held&limit=50`);
  const queue = h('ul', { class: 'comments', 'aria-label': 'Held comments' });
  const summary = h('summary', {});
  const showCount = () => {
    summary.textContent = `Held for review (${queue.children.length})`;
  };
  const decide = (comment: Comment, decision: 'approve' | 'reject', item: HTMLElement) =>
    announcing(status, async () => {
      await api('POST', `/comments/${comment.id}/${decision}`);
      item.remove();
      showCount();
      await onChange(policy.value as Video['commentPolicy']);
      status.textContent = decision === 'approve' ? 'The comment is published.' : 'The comment is rejected.';
    });
  queue.append(
    ...held.items.map((comment) => {
      const name = comment.author.displayName || comment.author.username;
      const approve = h(
        'button',
        { type: 'button', class: 'secondary', 'aria-label': `Approve the comment by ${name}` },
        'Approve',
      );
      const reject = h(
        'button',
        { type: 'button', class: 'danger', 'aria-label': `Reject the comment by ${name}` },
        'Reject',
      );
      const item = h(
        'li',
        { class: 'comment' },
        h(
          'p',
          { class: 'meta' },
          link(`/channel/${comment.author.username}`, {}, name),
          comment.parentId ? ' · a reply' : '',
        ),
        h('p', { class: 'comment-body' }, comment.body),
        h('div', { class: 'actions comment-actions' }, approve, reject),
      );
      approve.addEventListener('click', () => void decide(comment, 'approve', item));
      reject.addEventListener('click', () => void decide(comment, 'reject', item));
      return item;
    }),
  );
  showCount();
  return h(
    'div',
    { class: 'moderation' },
    field('Who may comment', policy),
    h('details', { class: 'held' }, summary, queue),
  );
}

/**
 * The comments of the watch page: published top-level comments (newest or oldest first, "More comments" by
 * cursor), their replies on demand (one level), and for a signed-in user posting, replying, editing their own,
 * deleting (author, the video's owner or an admin) and reporting. Every body is rendered as text.
 */
export async function commentsSection(video: Video) {
  const user = session.user;
  let policy = video.commentPolicy ?? 'open';
  const canModerate = !!user && (user.id === video.owner.id || user.role === 'admin');
  const status = h('p', { class: 'comment-status', role: 'status' });
  const count = h('span', {}, counted(video.commentCount ?? 0, 'comment', 'comments'));
  const list = h('ul', { class: 'comments', 'aria-label': 'Comments' });
  const more = h('button', { type: 'button', class: 'secondary', hidden: true }, 'More comments');
  const sort = h(
    'select',
    { name: 'sort' },
    h('option', { value: 'newest' }, 'Newest first'),
    h('option', { value: 'oldest' }, 'Oldest first'),
  );
  let cursor: string | null = null;

  const refreshCount = async () => {
    const fresh = await api<Video>('GET', `/videos/${video.id}`);
    count.textContent = counted(fresh.commentCount ?? 0, 'comment', 'comments');
  };

  function commentItem(comment: Comment): HTMLElement {
    const mine = user?.id === comment.author.id;
    const body = h('p', { class: 'comment-body' }, comment.body);
    const edited = h('span', { class: 'meta' }, comment.editedAt ? ' · edited' : '');
    const actions = h('div', { class: 'actions comment-actions' });
    const replies = h('ul', { class: 'replies', 'aria-label': `Replies to ${comment.author.username}` });
    const item = h(
      'li',
      { class: 'comment' },
      h(
        'p',
        { class: 'meta' },
        link(
          `/channel/${comment.author.username}`,
          {},
          comment.author.displayName || comment.author.username,
        ),
        ' · ',
        when(comment.createdAt),
        edited,
        comment.status === 'held' ? ' · held for review' : '',
      ),
      body,
      actions,
      replies,
    );
    const name = comment.author.displayName || comment.author.username;

    if (!comment.parentId && comment.replyCount > 0) {
      const show = h(
        'button',
        { type: 'button', class: 'secondary' },
        `View ${counted(comment.replyCount, 'reply', 'replies')}`,
      );
      show.addEventListener('click', () => {
        show.remove();
        void announcing(status, () => loadReplies(comment.id, replies, null));
      });
      actions.append(show);
    }
    if (user && !comment.parentId && policy !== 'closed') {
      const reply = h('button', { type: 'button', class: 'secondary' }, 'Reply');
      reply.setAttribute('aria-label', `Reply to ${name}`);
      reply.addEventListener('click', () =>
        openInlineForm(reply, (form) => item.insertBefore(form, replies), {
          label: `Your reply to ${name}`,
          submit: 'Post reply',
          initial: '',
          onSubmit: async (text) => {
            const posted = await api<Comment>('POST', `/videos/${video.id}/comments`, {
              body: text,
              parentId: comment.id,
            });
            if (posted.status === 'published') replies.append(commentItem(posted));
            await refreshCount();
            status.textContent = postedMessage(posted).replace('comment', 'reply');
          },
        }),
      );
      actions.append(reply);
    }
    if (mine) {
      const edit = h('button', { type: 'button', class: 'secondary' }, 'Edit');
      edit.addEventListener('click', () =>
        openInlineForm(edit, (form) => item.insertBefore(form, actions), {
          label: 'Edit your comment',
          submit: 'Save comment',
          initial: comment.body,
          onSubmit: async (text) => {
            const saved = await api<Comment>('PATCH', `/comments/${comment.id}`, { body: text });
            body.textContent = saved.body;
            edited.textContent = ' · edited';
            status.textContent =
              saved.status === 'held' ? 'Your edit is held for review.' : 'Your comment is updated.';
          },
        }),
      );
      actions.append(edit);
    }
    if (mine || canModerate) {
      const remove = h('button', { type: 'button', class: 'danger' }, 'Delete');
      remove.setAttribute('aria-label', `Delete the comment by ${name}`);
      remove.addEventListener('click', () => {
        if (!confirm('Delete this comment and its replies?')) return;
        void announcing(status, async () => {
          await api('DELETE', `/comments/${comment.id}`);
          item.remove();
          if (!list.children.length) list.append(h('li', { class: 'empty' }, 'No comments yet.'));
          await refreshCount();
          status.textContent = 'The comment is deleted.';
        });
      });
      actions.append(remove);
    }
    if (user && !mine)
      actions.append(reportButton({ type: 'comment', id: comment.id }, `Report comment by ${name}`));
    return item;
  }

  async function loadReplies(parentId: string, into: HTMLElement, from: string | null) {
    const page = await api<Page<Comment>>(
      'GET',
      `/comments/${parentId}/replies?limit=${PAGE_SIZE}${from ? `&cursor=${encodeURIComponent(from)}` : ''}`,
    );
    into.append(...page.items.map(commentItem));
    if (page.nextCursor) {
      const next = page.nextCursor;
      const button = h('button', { type: 'button', class: 'secondary' }, 'More replies');
      button.addEventListener('click', () => {
        button.remove();
        void loadReplies(parentId, into, next);
      });
      into.append(h('li', {}, button));
    }
  }

  async function load(reset: boolean) {
    if (reset) {
      cursor = null;
      list.replaceChildren();
    }
    const page = await api<Page<Comment>>(
      'GET',
      `/videos/${video.id}/comments?limit=${PAGE_SIZE}&sort=${sort.value}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    list.append(...page.items.map(commentItem));
    cursor = page.nextCursor;
    more.hidden = !cursor;
    if (reset && page.items.length === 0) list.append(h('li', { class: 'empty' }, 'No comments yet.'));
  }
  sort.addEventListener('change', () => void announcing(status, () => load(true)));
  more.addEventListener('click', () => void announcing(status, () => load(false)));

  const composer = h('div', { class: 'composer' });
  const showComposer = (current: Video['commentPolicy']) => {
    if (current === 'closed')
      composer.replaceChildren(h('p', { class: 'notice' }, 'Comments are turned off for this video.'));
    else if (!user)
      composer.replaceChildren(link('/sign-in', { class: 'button secondary' }, 'Sign in to comment'));
    else
      composer.replaceChildren(
        current === 'approval'
          ? h('p', { class: 'hint' }, 'The channel reviews comments before they appear.')
          : '',
        commentForm('Add a comment', 'Comment', '', async (text) => {
          const posted = await api<Comment>('POST', `/videos/${video.id}/comments`, { body: text });
          if (posted.status === 'published') {
            list.querySelector('li.empty')?.remove();
            list.prepend(commentItem(posted));
          }
          await refreshCount();
          status.textContent = postedMessage(posted);
        }).form,
      );
  };
  showComposer(policy);

  const moderation = canModerate
    ? await moderationTools(video, status, async (current) => {
        policy = current ?? 'open';
        showComposer(policy);
        await Promise.all([load(true), refreshCount()]);
      })
    : undefined;
  await load(true);
  return h(
    'section',
    { class: 'comments-section', 'aria-labelledby': 'comments-heading' },
    h('h2', { id: 'comments-heading' }, 'Comments · ', count),
    moderation,
    composer,
    status,
    field('Sort comments', sort),
    list,
    more,
  );
}
