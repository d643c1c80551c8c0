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
