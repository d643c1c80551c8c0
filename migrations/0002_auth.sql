-- Accounts and authentication: refresh-token families and failed-login throttling.

-- Opaque refresh tokens, stored as SHA-256 digests (a database leak yields no usable token). Every token
-- descends from one login (its family); a used token stays as a tombstone so its reuse can revoke the family.
create table refresh_tokens (
  token_hash bytea primary key check (octet_length(token_hash) = 32),
  family_id uuid not null,
  user_id uuid not null references users (id) on delete cascade,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  used_at timestamptz,
  revoked_at timestamptz
);
create index refresh_tokens_family_idx on refresh_tokens (family_id);
create index refresh_tokens_user_idx on refresh_tokens (user_id, family_id);

create type login_throttle_scope as enum ('account', 'address');

-- Failed sign-ins per normalised email and per client address. Lambda instances share no memory, so the
-- counters live here; one row per subject, updated with an atomic upsert.
create table login_throttles (
  scope login_throttle_scope not null,
  subject text not null check (char_length(subject) between 1 and 320),
  failures integer not null check (failures > 0),
  last_failed_at timestamptz not null,
  primary key (scope, subject)
);
create index login_throttles_last_failed_idx on login_throttles (last_failed_at);
