-- Real-time: WebSocket tickets and the open connections pushes go to.

-- A ticket lets one WebSocket connect once, within 60 s of its issue, as its user. Stored as a SHA-256 digest: the
-- plain ticket only ever travels in the URL the client connects to.
create table realtime_tickets (
  ticket_hash bytea primary key check (octet_length(ticket_hash) = 32),
  user_id uuid not null references users (id) on delete cascade,
  expires_at timestamptz not null
);
create index realtime_tickets_expires_idx on realtime_tickets (expires_at);

-- One row per open WebSocket (API Gateway's connection id), removed at disconnect, when a push finds it gone (410),
-- or by the hourly clean-up once older than API Gateway's two-hour connection limit.
create table realtime_connections (
  connection_id text primary key check (char_length(connection_id) between 1 and 128),
  user_id uuid not null references users (id) on delete cascade,
  connected_at timestamptz not null default now()
);
-- Pushes join recipients to this index: a recipient without a connection costs one index probe.
create index realtime_connections_user_idx on realtime_connections (user_id);
create index realtime_connections_connected_idx on realtime_connections (connected_at);
