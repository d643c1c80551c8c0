-- Playlists: a user's ordered lists of videos, with the videos' visibility levels. Item positions are 1..n, dense
-- and unique per playlist; every write to a playlist's items first locks its playlists row, so moves queue.

create table playlists (
  id uuid primary key default gen_random_uuid(),
  owner_id uuid not null references users (id) on delete cascade,
  title text not null check (char_length(title) between 1 and 200),
  description text not null default '' check (char_length(description) <= 5000),
  visibility video_visibility not null default 'public',
  -- Kept by the triggers below; the limit of 5000 items is checked by the code first, for a clear problem.
  video_count integer not null default 0 check (video_count between 0 and 5000),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index playlists_owner_idx on playlists (owner_id, created_at desc, id desc);

create table playlist_items (
  playlist_id uuid not null references playlists (id) on delete cascade,
  video_id uuid not null references videos (id) on delete cascade,
  position integer not null check (position >= 1),
  added_at timestamptz not null default now(),
  primary key (playlist_id, video_id),
  -- Deferrable, so uniqueness holds at the end of each statement: a shift of many positions by one is one update.
  constraint playlist_items_position_key unique (playlist_id, position) deferrable initially immediate
);
create index playlist_items_video_idx on playlist_items (video_id);

create function playlist_items_inserted() returns trigger language plpgsql as $$
begin
  update playlists p set video_count = p.video_count + added.count, updated_at = now()
  from (select playlist_id, count(*)::int as count from inserted group by playlist_id) added
  where p.id = added.playlist_id;
  return null;
end
$$;

-- However items go (removed, their video deleted, its owner deleted), the later ones move up and the count follows.
create function playlist_items_deleted() returns trigger language plpgsql as $$
begin
  update playlist_items i set position = renumbered.position
  from (
    select playlist_id, video_id, row_number() over (partition by playlist_id order by position)::int as position
    from playlist_items where playlist_id in (select playlist_id from deleted)
  ) renumbered
  where i.playlist_id = renumbered.playlist_id and i.video_id = renumbered.video_id
    and i.position <> renumbered.position;
  update playlists p set video_count = p.video_count - removed.count, updated_at = now()
  from (select playlist_id, count(*)::int as count from deleted group by playlist_id) removed
  where p.id = removed.playlist_id;
  return null;
end
$$;

create trigger playlist_items_inserted after insert on playlist_items
  referencing new table as inserted for each statement execute function playlist_items_inserted();
create trigger playlist_items_deleted after delete on playlist_items
  referencing old table as deleted for each statement execute function playlist_items_deleted();
