-- A GIN index files new entries in a pending list until the list passes gin_pending_list_limit (4 MB by default) or
-- a vacuum merges it, and every search reads that whole list. On the bench's million videos, a burst of 3,000 new
-- ones left 425 pending pages and took search from 5 to 25 ms at p50 (196 ms at p99); autovacuum would only merge
-- them after 200,000 inserts. At 64 kB the list stays a few pages long; each publish merges a little more often.
alter index videos_search_week_idx set (gin_pending_list_limit = 64);
