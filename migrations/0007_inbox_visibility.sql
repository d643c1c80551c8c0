-- Inbox reads without visiting videos, and prepared statements back to PostgreSQL's own plan choice.

-- 0006 made every prepared statement plan anew on each run (about 0.2 ms per join query); only the search needs
-- that, and it is no longer prepared (lib/catalogue/search.ts).
do $$
begin
  execute format('alter database %I reset plan_cache_mode', current_database());
end
$$;

-- Whether a notification's video is private now. The inbox hides those, and the unread count, read on every inbox
-- view, then needs no visit to each announced video. Kept by the trigger below; a fan-out sets it as it inserts.
alter table notifications add column video_private boolean not null default false;
update notifications n set video_private = true from videos v where v.id = n.video_id and v.visibility = 'private';

create function videos_privacy_changed() returns trigger language plpgsql as $$
begin
  update notifications set video_private = (new.visibility = 'private') where video_id = new.id;
  return null;
end $$;

create trigger videos_privacy_changed after update of visibility on videos
  for each row when ((old.visibility = 'private') <> (new.visibility = 'private'))
  execute function videos_privacy_changed();

-- The unread count is an index-only walk of this.
create index notifications_unread_visible_idx on notifications (recipient_id)
  where read_at is null and not video_private;

-- 0006's way to the same answer, no longer read.
drop index videos_private_idx;
