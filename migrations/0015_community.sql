-- Community: comments with moderation, blocks, reports and suspensions, and the notifications comments send.

-- A video taken down by an admin (a report's `remove`, or its owner's suspension). Every list reads `ready` videos
-- only, so a removed one leaves them all; its owner still sees it, as `removed`.
alter type video_status add value 'removed';

create type comment_policy as enum ('open', 'approval', 'closed');
alter table videos
  add column comment_policy comment_policy not null default 'open',
  add column comment_count bigint not null default 0 check (comment_count >= 0);

alter table users
  -- Set by an admin's `suspend`: no sign-in, no writes.
  add column suspended_at timestamptz,
  -- The channel owner's watched words: a comment on their videos holding one is held for review.
  add column comment_filter_words text[] not null default '{}' check (cardinality(comment_filter_words) <= 200);

create type comment_status as enum ('published', 'held', 'removed');

create table comments (
  id uuid primary key default gen_random_uuid(),
  video_id uuid not null references videos (id) on delete cascade,
  -- Always a top-level comment: a reply to a reply is attached to its top-level comment.
  parent_id uuid references comments (id) on delete cascade,
  author_id uuid not null references users (id) on delete cascade,
  body text not null check (char_length(body) between 1 and 5000),
  status comment_status not null,
  reply_count integer not null default 0 check (reply_count >= 0),
  created_at timestamptz not null default now(),
  edited_at timestamptz
);
-- A video's published top-level comments, newest first (walked backwards for oldest first).
create index comments_video_published_idx on comments (video_id, created_at desc, id desc)
  where parent_id is null and status = 'published';
-- A comment's published replies, oldest first. Not partial: deleting a comment deletes its replies through this.
create index comments_replies_idx on comments (parent_id, status, created_at, id);
-- A video's held (or removed) queue, newest first. Not partial: deleting a video deletes its comments through this.
create index comments_video_idx on comments (video_id, status, created_at desc, id desc);
create index comments_author_idx on comments (author_id);

-- Counters, kept like 0004's: statement-level on insert and delete (a cascade updates each video once), row-level
-- on a status change. video.comment_count counts published comments and replies; comment.reply_count published
-- replies.
create function comments_count_inserted() returns trigger language plpgsql as $$
begin
  update videos v set comment_count = v.comment_count + n.count
  from (select video_id, count(*) as count from inserted where status = 'published' group by video_id) n
  where v.id = n.video_id;
  update comments c set reply_count = c.reply_count + n.count
  from (select parent_id, count(*) as count from inserted
        where status = 'published' and parent_id is not null group by parent_id) n
  where c.id = n.parent_id;
  return null;
end $$;

create function comments_count_deleted() returns trigger language plpgsql as $$
begin
  update videos v set comment_count = v.comment_count - d.count
  from (select video_id, count(*) as count from deleted where status = 'published' group by video_id) d
  where v.id = d.video_id;
  update comments c set reply_count = c.reply_count - d.count
  from (select parent_id, count(*) as count from deleted
        where status = 'published' and parent_id is not null group by parent_id) d
  where c.id = d.parent_id;
  return null;
end $$;

create function comments_count_changed() returns trigger language plpgsql as $$
declare
  change integer := (new.status = 'published')::int - (old.status = 'published')::int;
begin
  update videos set comment_count = comment_count + change where id = new.video_id;
  if new.parent_id is not null then
    update comments set reply_count = reply_count + change where id = new.parent_id;
  end if;
  return null;
end $$;

create trigger comments_count_inserted after insert on comments
  referencing new table as inserted for each statement execute function comments_count_inserted();
create trigger comments_count_deleted after delete on comments
  referencing old table as deleted for each statement execute function comments_count_deleted();
create trigger comments_count_changed after update of status on comments
  for each row when ((old.status = 'published') <> (new.status = 'published'))
  execute function comments_count_changed();

create table blocks (
  blocker_id uuid not null references users (id) on delete cascade,
  blocked_id uuid not null references users (id) on delete cascade,
  created_at timestamptz not null default now(),
  primary key (blocker_id, blocked_id),
  constraint blocks_not_self check (blocker_id <> blocked_id)
);
-- "My blocks", newest first.
create index blocks_blocker_idx on blocks (blocker_id, created_at desc, blocked_id desc);
create index blocks_blocked_idx on blocks (blocked_id);

create type report_target as enum ('video', 'comment', 'user');
create type report_reason as enum ('spam', 'abuse', 'sexual', 'violence', 'copyright', 'other');
create type report_status as enum ('open', 'resolved', 'dismissed');

-- target_id has no foreign key (it names a video, a comment or a user); a report outlives a deleted target.
create table reports (
  id uuid primary key default gen_random_uuid(),
  reporter_id uuid not null references users (id) on delete cascade,
  target_type report_target not null,
  target_id uuid not null,
  reason report_reason not null,
  details text check (char_length(details) <= 2000),
  status report_status not null default 'open',
  created_at timestamptz not null default now(),
  resolved_at timestamptz,
  resolved_by uuid references users (id) on delete set null,
  resolution_note text check (char_length(resolution_note) <= 2000)
);
-- One open report per reporter and target; a second one answers the first.
create unique index reports_one_open_idx on reports (reporter_id, target_type, target_id) where status = 'open';
create index reports_target_idx on reports (target_type, target_id, status);
create index reports_status_idx on reports (status, created_at desc, id desc);
-- Deleting a user deletes their reports.
create index reports_reporter_idx on reports (reporter_id);

-- Comment notifications: one per comment and recipient, so the once-per-video rule becomes once per video and
-- comment (a `video.published` one has no comment, and nulls count as equal).
alter table notifications
  add column comment_id uuid references comments (id) on delete cascade,
  drop constraint notifications_type_check,
  add constraint notifications_type_check check (type in ('video.published', 'comment.created', 'comment.replied')),
  drop constraint notifications_once_per_video,
  add constraint notifications_once_per_video unique nulls not distinct (recipient_id, type, video_id, comment_id);
create index notifications_comment_idx on notifications (comment_id) where comment_id is not null;
