-- Search walks the catalogue a week at a time, newest week first (lib/catalogue/search.ts). One GIN index over the
-- whole catalogue answers "which videos have these words" only all at once: a common word's tens of thousands of
-- matches, read and sorted by date to keep the newest thousand. Tagging each lexeme with its video's week gives every
-- word one posting list per week instead, so a broad query reads the week or two that hold its newest matches and a
-- rare one probes each week's short lists.

-- The search document (0004's expression, now one function that both columns below are built from): English stems
-- and plain unaccented words, title weighing A and description B.
create function clipiq_search_document(title text, description text) returns tsvector
  language sql immutable strict parallel safe
  return setweight(to_tsvector('english'::regconfig, clipiq_unaccent(title)), 'A') ||
         setweight(to_tsvector('simple'::regconfig, clipiq_unaccent(title)), 'A') ||
         setweight(to_tsvector('english'::regconfig, clipiq_unaccent(description)), 'B') ||
         setweight(to_tsvector('simple'::regconfig, clipiq_unaccent(description)), 'B');

-- The week an instant falls in, counted from the Unix epoch. extract() is only STABLE because other fields depend
-- on the time zone; the epoch does not.
create function clipiq_search_week(instant timestamptz) returns integer
  language sql immutable strict parallel safe
  return floor(extract(epoch from instant) / 604800)::integer;

-- A document's lexemes tagged with a week: 'guitar' published in week 2900 becomes '2900:guitar'.
create function clipiq_week_lexemes(document tsvector, week integer) returns tsvector
  language sql immutable strict parallel safe
  return array_to_tsvector(array(select week || ':' || lexeme from unnest(document)));

-- A tsquery whose lexemes are tagged with a week, so it matches clipiq_week_lexemes of that week only; a prefix
-- ('2900:guit':*) then ranges over that week's words alone. A tsquery's text quotes each lexeme (doubling any
-- quote inside), so the tagging rewrites the quoted strings.
create function clipiq_week_query(query tsquery, week integer) returns tsquery
  language sql immutable strict parallel safe
  return regexp_replace(query::text, '''((?:[^'']|'''')*)''', '''' || week || ':\1''', 'g')::tsquery;

-- One table rewrite adds both; dropping the old column drops its all-time GIN index, which nothing reads any more
-- (a channel's search walks the channel's own videos).
alter table videos
  drop column search_document,
  add column search_document tsvector
    generated always as (clipiq_search_document(title, description)) stored,
  add column search_week_lexemes tsvector
    generated always as (clipiq_week_lexemes(clipiq_search_document(title, description),
                                             clipiq_search_week(published_at))) stored;

create index videos_search_week_idx on videos using gin (search_week_lexemes)
  where status = 'ready' and visibility = 'public';
