-- Media units per time range: a `segments` unit makes the lowest rendition (and the range's storyboard sprite), a
-- `ladder` unit every higher rendition from one decode of the range. No whole-file storyboard unit is planned any more.
alter type media_unit_kind add value 'ladder';

-- `segments` now holds the segments per rendition height: { "240": [{ "name": …, "duration": … }, …] }.
update media_units set segments = jsonb_build_object(height::text, segments)
where jsonb_typeof(segments) = 'array';

-- The source's frame rate (ffprobe's average), for the master playlist's FRAME-RATE; the renditions keep it.
alter table videos add column frame_rate real;
