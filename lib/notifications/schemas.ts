import * as z from 'zod/mini';
import { lazySchema } from '../lazy-schema.ts';
import { Page, pageQueryFields } from '../pagination.ts';
import { VideoOwner } from '../videos/schemas.ts';

export const NOTIFICATION_TYPES = ['video.published', 'comment.created', 'comment.replied'] as const;
export type NotificationType = (typeof NOTIFICATION_TYPES)[number];
const NotificationType = () => z.enum(NOTIFICATION_TYPES);

export const Notification = /* @__PURE__ */ lazySchema(() =>
  z.object({
    id: z.uuid(),
    type: NotificationType(),
    video: z.object({ id: z.uuid(), title: z.string() }),
    actor: VideoOwner,
    /** The comment a `comment.*` notification is about. */
    comment: z.optional(z.object({ id: z.uuid() })),
    readAt: z.nullable(z.iso.datetime()),
    createdAt: z.iso.datetime(),
  }),
);
export type Notification = z.infer<typeof Notification>;

export const NotificationIdParams = /* @__PURE__ */ lazySchema(() => z.object({ id: z.uuid() }));

/** `GET /notifications?cursor&limit&unread=true`. */
export const InboxQuery = /* @__PURE__ */ lazySchema(() =>
  z.object({
    ...pageQueryFields(),
    unread: z.optional(
      z.pipe(
        z.enum(['true', 'false']),
        z.transform((value) => value === 'true'),
      ),
    ),
  }),
);
export type InboxQuery = z.infer<typeof InboxQuery>;

export const Inbox = /* @__PURE__ */ lazySchema(() =>
  z.extend(Page(Notification), { unreadCount: z.int().check(z.nonnegative()) }),
);
export type Inbox = z.infer<typeof Inbox>;
