import { describe, expect, it, vi } from 'vitest';
import { sql } from '#lib/db.ts';
import { loginAs } from '../support/auth-factories.ts';
import { expectProblem } from '../support/expect-problem.ts';
import { createUser } from '../support/factories.ts';

vi.hoisted(async () => (await import('../support/parallel-connections.ts')).useParallelConnections());

const THROTTLED = 'Too many failed sign-in attempts; try again later';

async function failLogins(count: number, attempt: (index: number) => { email: string; sourceIp: string }) {
  const statuses: number[] = [];
  for (let index = 0; index < count; index++) {
    const { email, sourceIp } = attempt(index);
    statuses.push((await loginAs({ email, password: 'wrong password' }, sourceIp)).status);
  }
  return statuses;
}

describe('failed-login throttling', () => {
  it('backs an account off with 429 and Retry-After once it failed more than 5 times, at every address it never signed in from', async () => {
    // Prepare
    const user = await createUser();
    const statuses = await failLogins(6, (index) => ({
      email: user.email,
      sourceIp: `192.0.2.${index + 1}`,
    }));

    // Act: the right password, from one of those addresses
    const response = await loginAs(user, '192.0.2.3');

    // Assess
    expect(statuses).toEqual([401, 401, 401, 401, 401, 401]);
    expectProblem(response, 429, { slug: 'rate-limited', detail: THROTTLED });
    expect(Number(response.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(response.headers['retry-after'])).toBeLessThanOrEqual(1);
    const [row] =
      await sql`select failures from login_throttles where scope = 'account' and subject = ${user.email}`;
    expect(row?.failures).toBe(6);
  });

  it('backs an address off once it failed more than 20 times, whichever accounts they name', async () => {
    // Prepare
    const sourceIp = '198.51.100.20';
    const user = await createUser();
    const statuses = await failLogins(21, (index) => ({ email: `nobody${index}@example.test`, sourceIp }));

    // Act
    const fromThatAddress = await loginAs(user, sourceIp);
    const fromElsewhere = await loginAs(user, '198.51.100.21');

    // Assess
    expect(new Set(statuses)).toEqual(new Set([401]));
    expectProblem(fromThatAddress, 429, { detail: THROTTLED });
    expect(Number(fromThatAddress.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(fromElsewhere.status).toBe(200);
  });

  it('doubles the delay with each failure beyond the free ones, capped at 15 minutes', async () => {
    // Prepare
    const user = await createUser();
    await sql`
      insert into login_throttles (scope, subject, failures, last_failed_at)
      values ('account', ${user.email}, 8, now()), ('address', '203.0.113.80', 400, now()),
             ('address', '203.0.113.81', 1, now())
    `;

    // Act
    const account = await loginAs(user, '203.0.113.81');
    const address = await loginAs({ email: 'someone@example.test', password: 'x' }, '203.0.113.80');

    // Assess: 8 failures = 3 beyond the free 5 → 4 s; 400 failures → the 900 s cap
    expectProblem(account, 429);
    expect(Number(account.headers['retry-after'])).toBeGreaterThanOrEqual(3);
    expect(Number(account.headers['retry-after'])).toBeLessThanOrEqual(4);
    expectProblem(address, 429);
    expect(Number(address.headers['retry-after'])).toBeLessThanOrEqual(900);
    expect(Number(address.headers['retry-after'])).toBeGreaterThan(890);
  });

  it('does not count attempts refused while backing off, so a flood cannot extend the block', async () => {
    // Prepare
    const user = await createUser();
    await sql`
      insert into login_throttles (scope, subject, failures, last_failed_at)
      values ('account', ${user.email}, 10, now()), ('address', '203.0.113.90', 1, now())
    `;

    // Act
    const statuses = await failLogins(3, () => ({ email: user.email, sourceIp: '203.0.113.90' }));

    // Assess
    expect(statuses).toEqual([429, 429, 429]);
    const rows = await sql`
      select failures from login_throttles
      where (scope = 'account' and subject = ${user.email}) or (scope = 'address' and subject = '203.0.113.90')
      order by scope
    `;
    expect(rows.map((row) => row.failures)).toEqual([10, 1]);
  });

  it('lets the user in once the delay has passed; a success clears the account and gives the address its attempt back', async () => {
    // Prepare: at the cap, but the last failure was 15 minutes ago; the address failed twice
    const user = await createUser();
    await sql`
      insert into login_throttles (scope, subject, failures, last_failed_at)
      values ('account', ${user.email}, 500, now() - interval '15 minutes 1 second'),
             ('address', '203.0.113.100', 2, now())
    `;

    // Act
    const response = await loginAs(user, '203.0.113.100');

    // Assess
    expect(response.status).toBe(200);
    const rows = await sql`select 1 from login_throttles where scope = 'account' and subject = ${user.email}`;
    expect(rows).toHaveLength(0);
    const [address] =
      await sql`select failures from login_throttles where scope = 'address' and subject = '203.0.113.100'`;
    expect(address?.failures).toBe(2);
  });

  it('lets only the free failures of 30 parallel wrong guesses reach the password check; the rest get 429', async () => {
    // Prepare
    const user = await createUser();

    // Act
    const responses = await Promise.all(
      Array.from({ length: 30 }, () =>
        loginAs({ email: user.email, password: 'wrong password' }, '192.0.2.77'),
      ),
    );

    // Assess: 5 free failures, and the 6th starts the back-off
    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 401)).toHaveLength(6);
    expect(statuses.filter((status) => status === 429)).toHaveLength(24);
    const [row] =
      await sql`select failures from login_throttles where scope = 'account' and subject = ${user.email}`;
    expect(row?.failures).toBe(6);
  });

  it('gives every right password its attempt back, so sign-ins from an address at its last free failure go on', async () => {
    // Prepare: the address has used all 20 of its free failures
    const user = await createUser();
    await sql`insert into login_throttles values ('address', '192.0.2.78', 20, now())`;

    // Act
    const statuses: number[] = [];
    for (let index = 0; index < 3; index++) statuses.push((await loginAs(user, '192.0.2.78')).status);

    // Assess
    expect(statuses).toEqual([200, 200, 200]);
    const rows = await sql`
      select scope, failures from login_throttles
      where (scope = 'account' and subject = ${user.email}) or (scope = 'address' and subject = '192.0.2.78')
    `;
    expect(rows).toEqual([{ scope: 'address', failures: 20 }]);
  });

  it('holds the fresh addresses of an attacker with many under the account back-off, however many they have', async () => {
    // Prepare: the owner signed in from home; an attacker guesses from 6 addresses, one guess each, and has
    // guessed for a while (a back-off of minutes, so no step below can outlast it on a slow machine)
    const user = await createUser();
    const ownerSignIn = await loginAs(user, '203.0.113.5');
    const freeGuesses = await failLogins(6, (index) => ({
      email: user.email,
      sourceIp: `198.51.100.${index + 1}`,
    }));
    await sql`update login_throttles set failures = 14 where scope = 'account' and subject = ${user.email}`;
    const heldGuesses = await failLogins(6, (index) => ({
      email: user.email,
      sourceIp: `198.51.100.${index + 101}`,
    }));

    // Act: further guesses from yet other fresh addresses, one of them the right password
    const further = await failLogins(3, (index) => ({
      email: user.email,
      sourceIp: `2001:db8:66:${index}::1`,
    }));
    const rightPassword = await loginAs(user, '192.0.2.99');

    // Assess: the back-off holds every address the owner never used, and a held guess counts nothing
    expect(ownerSignIn.status).toBe(200);
    expect(freeGuesses).toEqual([401, 401, 401, 401, 401, 401]);
    expect(heldGuesses).toEqual([429, 429, 429, 429, 429, 429]);
    expect(further).toEqual([429, 429, 429]);
    expectProblem(rightPassword, 429, { detail: THROTTLED });
    const [row] =
      await sql`select failures from login_throttles where scope = 'account' and subject = ${user.email}`;
    expect(row?.failures).toBe(14);
  });

  it('lets the right password in at once from an address the account signed in from, during its back-off', async () => {
    // Prepare: the owner signed in from home and from the office; an attacker then drove the account to the cap
    const user = await createUser();
    expect((await loginAs(user, '203.0.113.5')).status).toBe(200);
    expect((await loginAs(user, '2001:db8:42:7::1')).status).toBe(200);
    await sql`
      insert into login_throttles (scope, subject, failures, last_failed_at)
      values ('account', ${user.email}, 500, now() - interval '1 minute')
    `;

    // Act: a network the owner never used, then the office from another interface id of its /64
    const fromElsewhere = await loginAs(user, '192.0.2.99');
    const fromOffice = await loginAs(user, '2001:db8:42:7:abcd::9');

    // Assess
    expectProblem(fromElsewhere, 429, { detail: THROTTLED });
    expect(Number(fromElsewhere.headers['retry-after'])).toBeGreaterThan(800);
    expect(fromOffice.status).toBe(200);
  });

  it('holds a known address once it failed more than its own 20 free failures', async () => {
    // Prepare: the owner signed in from a shared office address; wrong guesses from there then fail 21 times
    const user = await createUser();
    expect((await loginAs(user, '203.0.113.7')).status).toBe(200);
    const statuses = await failLogins(21, () => ({ email: user.email, sourceIp: '203.0.113.7' }));

    // Act
    const response = await loginAs(user, '203.0.113.7');

    // Assess: the account's back-off never held that address, its own back-off does
    expect(new Set(statuses)).toEqual(new Set([401]));
    expectProblem(response, 429, { detail: THROTTLED });
    expect(Number(response.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  });

  it('knows only the 20 addresses an account signed in from most recently within 90 days', async () => {
    // Prepare: 24 remembered addresses, one hour apart, the oldest four beyond 90 days; the account at the cap
    const user = await createUser();
    await sql`
      insert into login_known_addresses (user_id, address, last_signed_in_at)
      select ${user.id}::uuid, '198.51.100.' || n, now() - make_interval(hours => n)
      from generate_series(1, 20) n
      union all
      select ${user.id}::uuid, '203.0.113.' || n, now() - interval '90 days' - make_interval(hours => n)
      from generate_series(1, 4) n
    `;
    await sql`
      insert into login_throttles (scope, subject, failures, last_failed_at)
      values ('account', ${user.email}, 500, now() - interval '1 minute')
    `;

    // Act: one beyond 90 days is no longer known, a recent one is (and its success ends the back-off); then a new one
    const stale = await loginAs(user, '203.0.113.1');
    const known = await loginAs(user, '198.51.100.1');
    const fromNew = await loginAs(user, '192.0.2.50');

    // Assess: the new address joins; the oldest recent one and those beyond 90 days are forgotten
    expectProblem(stale, 429, { detail: THROTTLED });
    expect(known.status).toBe(200);
    expect(fromNew.status).toBe(200);
    const rows = await sql<{ address: string }[]>`
      select address from login_known_addresses where user_id = ${user.id}
    `;
    const expected = ['192.0.2.50', ...Array.from({ length: 19 }, (_, index) => `198.51.100.${index + 1}`)];
    expect(rows.map((row) => row.address).sort()).toEqual(expected.sort());
  });

  it('counts every address of one IPv6 /64 as one address, and an IPv4-mapped address as its IPv4 address', async () => {
    // Prepare: failures from three interface ids of one /64, then that /64 and an IPv4 address well into back-off
    const user = await createUser();
    const statuses = await failLogins(3, (index) => ({
      email: user.email,
      sourceIp: `2001:db8:1:2:${index + 1}::${index + 7}`,
    }));
    const counted = await sql`
      select subject, failures from login_throttles where scope = 'address' and subject like '2001:db8:1:2%'
    `;
    await sql`
      update login_throttles set failures = 40, last_failed_at = now()
      where scope = 'address' and subject = '2001:db8:1:2::/64'
    `;
    await sql`insert into login_throttles values ('address', '198.51.100.30', 40, now())`;

    // Act
    const sameSlash64 = await loginAs(user, '2001:db8:1:2:ffff:ffff:ffff:ffff');
    const nextSlash64 = await loginAs(user, '2001:db8:1:3::1');
    const mapped = await loginAs(user, '::ffff:198.51.100.30');

    // Assess
    expect(statuses).toEqual([401, 401, 401]);
    expect(counted).toEqual([{ subject: '2001:db8:1:2::/64', failures: 3 }]);
    expectProblem(sameSlash64, 429, { detail: THROTTLED });
    expect(nextSlash64.status).toBe(200);
    expectProblem(mapped, 429, { detail: THROTTLED });
  });

  it('starts counting from one again after an hour without failures', async () => {
    // Prepare
    const user = await createUser();
    await sql`
      insert into login_throttles (scope, subject, failures, last_failed_at)
      values ('account', ${user.email}, 500, now() - interval '61 minutes')
    `;

    // Act
    const response = await loginAs({ email: user.email, password: 'wrong password' }, '203.0.113.110');

    // Assess
    expectProblem(response, 401);
    const [row] =
      await sql`select failures from login_throttles where scope = 'account' and subject = ${user.email}`;
    expect(row?.failures).toBe(1);
  });
});
