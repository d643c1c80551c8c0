-- Media pipeline: an accepted upload is transcoded to an HLS ladder, a poster and a storyboard by independent units,
-- each its own asynchronous Lambda invocation. `videos.processing` is what the API shows, derived from the units.
alter type video_rejection_reason add value 'unsupported_codec';

alter table videos
  add column processing jsonb,
  -- Set when the plan's units are recorded: a `processing` video without it is still being ingested.
  add column media_planned_at timestamptz,
  add column has_audio boolean,
  -- Where the poster is cut (PUT /videos/{id}/poster); null: a representative frame chosen by ffmpeg.
  add column poster_at_seconds numeric(12, 3),
  -- Which display size the poster and storyboard have, for the storyboard's track.
  add column display_width integer,
  add column display_height integer;

create type media_unit_kind as enum ('segments', 'poster', 'storyboard');
create type media_unit_status as enum ('pending', 'running', 'done', 'failed');

-- One unit of work: a time range of one rendition (`segments`), the poster or the storyboard. Keyed by what it
-- writes, so a duplicated or retried unit writes the same objects and is counted once.
create table media_units (
  video_id uuid not null references videos (id) on delete cascade,
  kind media_unit_kind not null,
  -- The rendition's height for `segments`, 0 otherwise.
  height integer not null default 0,
  part integer not null default 0,
  start_seconds numeric(12, 3) not null,
  duration_seconds numeric(12, 3) not null,
  status media_unit_status not null default 'pending',
  attempts integer not null default 0,
  claimed_at timestamptz,
  finished_at timestamptz,
  cpu_seconds real,
  -- `segments`: [{ "name": "00000-000.ts", "duration": 4.0 }, …], in order; the rendition's playlist lists them.
  segments jsonb,
  error text,
  primary key (video_id, kind, height, part)
);
create index media_units_pending_idx on media_units (kind, height, part) where status = 'pending';
create index media_units_running_idx on media_units (claimed_at) where status = 'running';

-- A rendition whose every unit is done and whose media playlist is written.
create table media_renditions (
  video_id uuid not null references videos (id) on delete cascade,
  height integer not null,
  width integer not null,
  bandwidth integer not null,
  ready_at timestamptz not null default now(),
  primary key (video_id, height)
);
