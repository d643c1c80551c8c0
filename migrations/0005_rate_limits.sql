-- Fixed-window request counters shared by every Lambda environment (they share no memory).
create table rate_limit_windows (
  bucket_key text not null,
  window_start timestamptz not null,
  hits integer not null,
  primary key (bucket_key, window_start)
);
create index rate_limit_windows_start_idx on rate_limit_windows (window_start);
