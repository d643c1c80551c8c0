-- Read paths measured by `npm run bench`.

-- The unread count must skip notifications of videos made private since they were announced. Probing this small
-- index (only private videos) answers that without reading each announced video's row from the heap.
create index videos_private_idx on videos (id) where visibility = 'private';

-- Plans made with each query's own values, as deployed stages get them (they do not prepare: RDS Proxy). A prepared
-- statement otherwise switches to a generic plan after five runs, and the generic plan of a search, blind to how
-- common its words are, reads every match of a common word (seconds) instead of walking the newest videos.
do $$
begin
  execute format('alter database %I set plan_cache_mode = %L', current_database(), 'force_custom_plan');
end
$$;
