-- Read paths measured by `npm run bench`.

-- The unread count must skip notifications of videos made private since they were announced. Probing this small
-- index (only private videos) answers that without reading each announced video's row from the heap.
create index videos_private_idx on videos (id) where visibility = 'private';
