-- Core schema: users, videos, subscriptions, notifications. Later migrations extend it per feature.

create extension if not exists unaccent;

do $$
begin
  -- Per-database, not per-session: a SET on every connection would pin RDS Proxy sessions.
  execute format('alter database %I set statement_timeout = %L', current_database(), '15s');
  execute format('alter database %I set idle_in_transaction_session_timeout = %L', current_database(), '30s');
end
$$;

create type user_role as enum ('viewer', 'creator', 'admin');

create table users (
  id uuid primary key default gen_random_uuid(),
  email text not null,
  username text not null,
  display_name text not null,
  bio text not null default '',
  role user_role not null default 'viewer',
  password_hash text not null,
  subscriber_count integer not null default 0 check (subscriber_count >= 0),
  video_count integer not null default 0 check (video_count >= 0),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint users_email_key unique (email),
  constraint users_username_key unique (username),
  constraint users_email_is_lower_case check (email = lower(email)),
  constraint users_username_format check (username ~ '^[a-z0-9_]{3,30}$')
);

create type video_visibility as enum ('public', 'unlisted', 'private');
create type video_status as enum ('awaiting_upload', 'processing', 'ready', 'rejected');
create type video_rejection_reason as enum ('too_large', 'size_mismatch', 'not_a_video', 'type_mismatch', 'unreadable');

create table videos (
  id uuid primary key default gen_random_uuid(),
  owner_id uuid not null references users (id) on delete cascade,
  title text not null check (char_length(title) between 1 and 200),
  description text not null default '' check (char_length(description) <= 5000),
  visibility video_visibility not null default 'public',
  status video_status not null default 'awaiting_upload',
  rejection_reason video_rejection_reason,
  -- What the creator declared when asking for the upload URL; ingest checks the object against it.
  storage_key text not null,
  file_name text not null,
  declared_content_type text not null,
  declared_size_bytes bigint not null check (declared_size_bytes > 0),
  multipart_upload_id text,
  -- What ingest measured on the stored object.
  size_bytes bigint,
  content_type text,
  duration_seconds numeric(12, 3),
  width integer,
  height integer,
  video_codec text,
  view_count bigint not null default 0 check (view_count >= 0),
  like_count bigint not null default 0 check (like_count >= 0),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  published_at timestamptz,
  constraint videos_storage_key_key unique (storage_key),
  constraint videos_rejected_has_reason check ((status = 'rejected') = (rejection_reason is not null))
);
create index videos_owner_id_idx on videos (owner_id, created_at desc, id desc);
create index videos_awaiting_upload_idx on videos (created_at) where status in ('awaiting_upload', 'processing');

create table subscriptions (
  subscriber_id uuid not null references users (id) on delete cascade,
  channel_id uuid not null references users (id) on delete cascade,
  created_at timestamptz not null default now(),
  primary key (subscriber_id, channel_id),
  constraint subscriptions_not_self check (subscriber_id <> channel_id)
);
-- Fan-out reads every subscriber of one channel.
create index subscriptions_channel_idx on subscriptions (channel_id, subscriber_id);

create table notifications (
  id uuid primary key default gen_random_uuid(),
  recipient_id uuid not null references users (id) on delete cascade,
  type text not null check (type in ('video.published')),
  video_id uuid not null references videos (id) on delete cascade,
  actor_id uuid not null references users (id) on delete cascade,
  created_at timestamptz not null default now(),
  read_at timestamptz,
  -- At-least-once storage events must not notify twice.
  constraint notifications_once_per_video unique (recipient_id, type, video_id)
);
create index notifications_inbox_idx on notifications (recipient_id, created_at desc, id desc);
create index notifications_unread_idx on notifications (recipient_id, created_at desc, id desc) where read_at is null;
