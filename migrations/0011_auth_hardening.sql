-- Sign-in attempts are counted before the password is checked, and a right password gives its attempt back, so a
-- counter may rest at zero.
alter table login_throttles drop constraint login_throttles_failures_check;
alter table login_throttles add constraint login_throttles_failures_check check (failures >= 0);
