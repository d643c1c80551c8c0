-- A rendition's measured bit rates, from its segments' sizes: `bandwidth` becomes the peak segment's (it was the
-- encoder's cap) and `average_bandwidth` the whole rendition's, for the master playlist's AVERAGE-BANDWIDTH. Null for
-- renditions made before segment sizes were recorded.
alter table media_renditions add column average_bandwidth integer;
