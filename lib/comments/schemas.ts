import * as z from 'zod/mini';
import { lazySchema } from '../lazy-schema.ts';
import { Page, pageQueryFields } from '../pagination.ts';
import { VideoOwner } from '../videos/schemas.ts';

export const COMMENT_MAX_CHARACTERS = 5000;
export const WATCHED_WORDS_MAX = 200;

/** `removed` only ever reaches admins: a report's `remove` takes a comment down for everyone else. */
export const CommentStatus = /* @__PURE__ */ lazySchema(() => z.enum(['published', 'held', 'removed']));
export type CommentStatus = z.infer<typeof CommentStatus>;

/** The `comment` object of the contract. */
export const Comment = /* @__PURE__ */ lazySchema(() =>
  z.object({
    id: z.uuid(),
    videoId: z.uuid(),
    parentId: z.nullable(z.uuid()),
    author: VideoOwner,
    body: z.string(),
    status: CommentStatus,
    replyCount: z.int(),
    createdAt: z.iso.datetime(),
    editedAt: z.nullable(z.iso.datetime()),
  }),
);
export type Comment = z.infer<typeof Comment>;
export const CommentPage = /* @__PURE__ */ lazySchema(() => Page(Comment));

/**
 * Plain text, 1–5000 characters once trimmed; control characters other than line breaks and tabs are refused, so a
 * body shows as what was typed (clients render it as text, never as HTML).
 */
const CommentBody = () =>
  z.string().check(
    z.trim(),
    z.minLength(1),
    z.maxLength(COMMENT_MAX_CHARACTERS),
    // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing them is the point
    z.refine((body) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(body), 'must be plain text'),
  );

export const CommentIdParams = /* @__PURE__ */ lazySchema(() => z.object({ id: z.uuid() }));

/** `POST /videos/{id}/comments`. */
export const PostCommentRequest = /* @__PURE__ */ lazySchema(() =>
  z.strictObject({ body: CommentBody(), parentId: z.optional(z.uuid()) }),
);
export type PostCommentRequest = z.infer<typeof PostCommentRequest>;

/** `PATCH /comments/{id}`. */
export const EditCommentRequest = /* @__PURE__ */ lazySchema(() => z.strictObject({ body: CommentBody() }));
export type EditCommentRequest = z.infer<typeof EditCommentRequest>;

/** `GET /videos/{id}/comments?cursor&limit&sort&status`; `held` and `removed` are the moderators' queues. */
export const ListCommentsQuery = /* @__PURE__ */ lazySchema(() =>
  z.object({
    ...pageQueryFields(),
    sort: z._default(z.enum(['newest', 'oldest']), 'newest'),
    status: z._default(CommentStatus, 'published'),
  }),
);
export type ListCommentsQuery = z.infer<typeof ListCommentsQuery>;

/** `PUT /users/me/comment-filters`: the words that hold a comment on the caller's videos for review. */
export const CommentFilters = /* @__PURE__ */ lazySchema(() =>
  z.strictObject({
    words: z
      .array(z.string().check(z.trim(), z.minLength(1), z.maxLength(100)))
      .check(z.maxLength(WATCHED_WORDS_MAX)),
  }),
);
export type CommentFilters = z.infer<typeof CommentFilters>;
