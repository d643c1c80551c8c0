-- Sign-in attempts are counted before the password is checked, and a right password gives its attempt back, so a
-- counter may rest at zero.
alter table login_throttles drop constraint login_throttles_failures_check;
alter table login_throttles add constraint login_throttles_failures_check check (failures >= 0);

-- Every token of a refresh-token family carries the family's sign-in, which bounds how long rotation can keep the
-- family alive (REFRESH_ABSOLUTE_LIFETIME_DAYS). Existing families signed in when their first surviving token was made.
alter table refresh_tokens add column signed_in_at timestamptz;
update refresh_tokens t set signed_in_at = family.signed_in_at
from (select family_id, min(created_at) as signed_in_at from refresh_tokens group by family_id) family
where family.family_id = t.family_id;
alter table refresh_tokens alter column signed_in_at set not null;

-- The client addresses (as clientAddress keys them) each account signed in from lately: the account's sign-in
-- back-off does not hold them, so its owner gets in from a familiar network while an attacker's addresses stay held.
-- At most the 20 most recent per account, none older than 90 days (lib/auth/login-throttle.ts keeps them so).
create table login_known_addresses (
  user_id uuid not null references users (id) on delete cascade,
  address text not null check (char_length(address) between 1 and 320),
  last_signed_in_at timestamptz not null,
  primary key (user_id, address)
);
