-- Uploads that survive: per-user storage and daily upload quotas, and Idempotency-Key on POST /videos.

-- Quotas count the declared size of every video that is not rejected: a video reserves its bytes when it is
-- created (awaiting_upload), and gives them back when it is rejected, expired or deleted. A null limit means the
-- configured default (DEFAULT_STORAGE_LIMIT_BYTES, DEFAULT_DAILY_UPLOAD_LIMIT_BYTES).
alter table users
  add column storage_limit_bytes bigint check (storage_limit_bytes >= 0),
  add column daily_upload_limit_bytes bigint check (daily_upload_limit_bytes >= 0),
  add column storage_used_bytes bigint not null default 0 check (storage_used_bytes >= 0),
  -- The UTC day daily_upload_bytes counts; another day's count reads as 0.
  add column daily_upload_day date not null default ((now() at time zone 'utc')::date),
  add column daily_upload_bytes bigint not null default 0 check (daily_upload_bytes >= 0);

-- The counters live on the user's row, so POST /videos checks and reserves in one statement that locks that row:
-- parallel creates of one user queue there, and each sees the bytes the previous one reserved. The daily count
-- holds the videos created on the current UTC day; a video gives its bytes back to it only on the day it was made.
create function videos_quota_counted(owner uuid, bytes bigint, today_bytes bigint) returns void
language sql as $$
  update users set
    storage_used_bytes = storage_used_bytes + bytes,
    daily_upload_bytes = case when daily_upload_day = (now() at time zone 'utc')::date
      then daily_upload_bytes + today_bytes else greatest(today_bytes, 0) end,
    daily_upload_day = (now() at time zone 'utc')::date
  where id = owner
$$;

create function videos_made_today(created_at timestamptz) returns boolean
language sql stable as $$ select (created_at at time zone 'utc')::date = (now() at time zone 'utc')::date $$;

-- Statement-level with transition tables, like the other counters: one update per owner for a bulk statement.
create function videos_quota_inserted() returns trigger language plpgsql as $$
begin
  perform videos_quota_counted(owner_id, sum(declared_size_bytes)::bigint,
    coalesce(sum(declared_size_bytes) filter (where videos_made_today(created_at)), 0)::bigint)
  from inserted where status <> 'rejected' group by owner_id;
  return null;
end $$;

create function videos_quota_deleted() returns trigger language plpgsql as $$
begin
  perform videos_quota_counted(owner_id, -sum(declared_size_bytes)::bigint,
    -coalesce(sum(declared_size_bytes) filter (where videos_made_today(created_at)), 0)::bigint)
  from deleted where status <> 'rejected' group by owner_id;
  return null;
end $$;

create function videos_quota_changed() returns trigger language plpgsql as $$
declare
  bytes bigint := case when new.status = 'rejected' then -new.declared_size_bytes else new.declared_size_bytes end;
begin
  perform videos_quota_counted(new.owner_id, bytes, case when videos_made_today(new.created_at) then bytes else 0 end);
  return null;
end $$;

create trigger videos_quota_inserted after insert on videos
  referencing new table as inserted for each statement execute function videos_quota_inserted();
create trigger videos_quota_deleted after delete on videos
  referencing old table as deleted for each statement execute function videos_quota_deleted();
-- Row-level with WHEN: view and like counter updates touch videos constantly and must not pay for this.
create trigger videos_quota_changed after update of status on videos
  for each row when ((old.status = 'rejected') <> (new.status = 'rejected'))
  execute function videos_quota_changed();

update users u set
  storage_used_bytes = coalesce(
    (select sum(declared_size_bytes) from videos v where v.owner_id = u.id and v.status <> 'rejected'), 0),
  daily_upload_bytes = coalesce(
    (select sum(declared_size_bytes) from videos v
     where v.owner_id = u.id and v.status <> 'rejected'
       and videos_made_today(v.created_at)), 0);

-- GET /users/me/usage lists a user's largest videos.
create index videos_owner_size_idx on videos (owner_id, declared_size_bytes desc) where status <> 'rejected';

-- POST /videos with an Idempotency-Key: the first answer, kept 24 h per user and key. `response` is null while the
-- first request is still being answered.
create table video_create_requests (
  user_id uuid not null references users (id) on delete cascade,
  idempotency_key text not null check (idempotency_key ~ '^[!-~]{1,255}$'),
  request_hash text not null,
  response jsonb,
  created_at timestamptz not null default now(),
  primary key (user_id, idempotency_key)
);
create index video_create_requests_created_at_idx on video_create_requests (created_at);
