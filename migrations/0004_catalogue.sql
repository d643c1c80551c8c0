-- Catalogue, engagement and subscriptions: search document, list indexes, likes, view de-duplication, and the
-- triggers that keep the denormalised counters (users.subscriber_count/video_count, videos.like_count) exact.

-- Keyset pagination orders ready videos by published_at; a ready video without one would fall out of every page.
alter table videos add constraint videos_ready_is_published check (status <> 'ready' or published_at is not null);

-- unaccent() is only STABLE (its dictionary could change), so a generated column needs an IMMUTABLE wrapper that
-- names the dictionary explicitly.
create function clipiq_unaccent(text) returns text
  language sql immutable strict parallel safe
  return public.unaccent('public.unaccent'::regdictionary, $1);

-- Search document: English stems (so "tutorials" finds "tutorial", stop words are dropped) plus the plain
-- unaccented words (so the last word of a query can match as a prefix while it is being typed: "tutoria" finds
-- "tutorial", which the stem "tutori" would not). Title weighs A, description B.
alter table videos add column search_document tsvector generated always as (
  setweight(to_tsvector('english'::regconfig, clipiq_unaccent(title)), 'A') ||
  setweight(to_tsvector('simple'::regconfig, clipiq_unaccent(title)), 'A') ||
  setweight(to_tsvector('english'::regconfig, clipiq_unaccent(description)), 'B') ||
  setweight(to_tsvector('simple'::regconfig, clipiq_unaccent(description)), 'B')
) stored;

-- Every list reads public ready videos only; partial indexes keep the others out of the way.
create index videos_search_idx on videos using gin (search_document)
  where status = 'ready' and visibility = 'public';
create index videos_published_idx on videos (published_at desc, id desc)
  where status = 'ready' and visibility = 'public';
-- A channel's page, and the feed (one probe per subscribed channel).
create index videos_channel_published_idx on videos (owner_id, published_at desc, id desc)
  where status = 'ready' and visibility = 'public';

-- "My subscriptions", newest first.
create index subscriptions_subscriber_idx on subscriptions (subscriber_id, created_at desc, channel_id desc);
-- Deleting a video cascades to its notifications; without this the cascade scans every inbox.
create index notifications_video_idx on notifications (video_id);

create table video_likes (
  video_id uuid not null references videos (id) on delete cascade,
  user_id uuid not null references users (id) on delete cascade,
  created_at timestamptz not null default now(),
  primary key (video_id, user_id)
);
create index video_likes_user_idx on video_likes (user_id);

-- One row per viewer and video: when that viewer's view was last counted. The viewer is an HMAC of the user id,
-- or of the client address for anonymous views, so no raw address is stored. Rows older than an hour block
-- nothing; pruneViewMarks (lib/engagement/views.ts) deletes them.
create table video_views (
  video_id uuid not null references videos (id) on delete cascade,
  viewer_hash bytea not null check (octet_length(viewer_hash) = 32),
  counted_at timestamptz not null default now(),
  primary key (video_id, viewer_hash)
);
create index video_views_counted_idx on video_views (counted_at);

-- Fan-out progress per published video, so a retried fan-out resumes where the last one stopped and a
-- redelivered event for a finished one returns at once.
create table notification_fan_outs (
  video_id uuid primary key references videos (id) on delete cascade,
  last_subscriber_id uuid,
  completed_at timestamptz
);

-- Counters. Inserts and deletes use statement-level triggers with transition tables, so a bulk statement (a
-- cascade, a seed) makes one grouped update per affected user or video instead of one per row; the increments
-- are relative (`count = count + n`), so concurrent transactions never lose an update.

-- users.video_count = the user's public ready videos (what a visitor of the channel can list).
create function videos_count_inserted() returns trigger language plpgsql as $$
begin
  update users u set video_count = u.video_count + n.count
  from (select owner_id, count(*) as count from inserted
        where status = 'ready' and visibility = 'public' group by owner_id) n
  where u.id = n.owner_id;
  return null;
end $$;

create function videos_count_deleted() returns trigger language plpgsql as $$
begin
  update users u set video_count = u.video_count - d.count
  from (select owner_id, count(*) as count from deleted
        where status = 'ready' and visibility = 'public' group by owner_id) d
  where u.id = d.owner_id;
  return null;
end $$;

create function videos_count_changed() returns trigger language plpgsql as $$
begin
  update users set video_count = video_count
    + (new.status = 'ready' and new.visibility = 'public')::int
    - (old.status = 'ready' and old.visibility = 'public')::int
  where id = new.owner_id;
  return null;
end $$;

create trigger videos_count_inserted after insert on videos
  referencing new table as inserted for each statement execute function videos_count_inserted();
create trigger videos_count_deleted after delete on videos
  referencing old table as deleted for each statement execute function videos_count_deleted();
-- Row-level with WHEN: view and like counter updates touch videos constantly and must not pay for this.
create trigger videos_count_changed after update of status, visibility on videos
  for each row when ((old.status = 'ready' and old.visibility = 'public') <> (new.status = 'ready' and new.visibility = 'public'))
  execute function videos_count_changed();

create function subscriptions_count_inserted() returns trigger language plpgsql as $$
begin
  update users u set subscriber_count = u.subscriber_count + n.count
  from (select channel_id, count(*) as count from inserted group by channel_id) n
  where u.id = n.channel_id;
  return null;
end $$;

create function subscriptions_count_deleted() returns trigger language plpgsql as $$
begin
  update users u set subscriber_count = u.subscriber_count - d.count
  from (select channel_id, count(*) as count from deleted group by channel_id) d
  where u.id = d.channel_id;
  return null;
end $$;

create trigger subscriptions_count_inserted after insert on subscriptions
  referencing new table as inserted for each statement execute function subscriptions_count_inserted();
create trigger subscriptions_count_deleted after delete on subscriptions
  referencing old table as deleted for each statement execute function subscriptions_count_deleted();

create function video_likes_count_inserted() returns trigger language plpgsql as $$
begin
  update videos v set like_count = v.like_count + n.count
  from (select video_id, count(*) as count from inserted group by video_id) n
  where v.id = n.video_id;
  return null;
end $$;

create function video_likes_count_deleted() returns trigger language plpgsql as $$
begin
  update videos v set like_count = v.like_count - d.count
  from (select video_id, count(*) as count from deleted group by video_id) d
  where v.id = d.video_id;
  return null;
end $$;

create trigger video_likes_count_inserted after insert on video_likes
  referencing new table as inserted for each statement execute function video_likes_count_inserted();
create trigger video_likes_count_deleted after delete on video_likes
  referencing old table as deleted for each statement execute function video_likes_count_deleted();

-- Rows written before this migration: start the counters from the truth.
update users u set
  video_count = (select count(*) from videos v
                 where v.owner_id = u.id and v.status = 'ready' and v.visibility = 'public'),
  subscriber_count = (select count(*) from subscriptions s where s.channel_id = u.id);
