import { describe, expect, it } from 'vitest';
import { sql } from '#lib/db.ts';
import { expectProblem, loginAs } from '../support/auth-factories.ts';
import { createUser } from '../support/factories.ts';

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
  it('backs an account off with 429 and Retry-After once it failed more than 5 times, from any address', async () => {
    // Prepare
    const user = await createUser();
    const statuses = await failLogins(6, (index) => ({
      email: user.email,
      sourceIp: `192.0.2.${index + 1}`,
    }));

    // Act: the right password, from yet another address
    const response = await loginAs(user, '192.0.2.200');

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
      values ('account', ${user.email}, 8, now()), ('address', '203.0.113.80', 400, now())
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
      values ('account', ${user.email}, 10, now())
    `;

    // Act
    const statuses = await failLogins(3, () => ({ email: user.email, sourceIp: '203.0.113.90' }));

    // Assess
    expect(statuses).toEqual([429, 429, 429]);
    const [row] =
      await sql`select failures from login_throttles where scope = 'account' and subject = ${user.email}`;
    expect(row?.failures).toBe(10);
  });

  it('lets the user in once the delay has passed, and a success clears the account counter', async () => {
    // Prepare: at the cap, but the last failure was 15 minutes ago
    const user = await createUser();
    await sql`
      insert into login_throttles (scope, subject, failures, last_failed_at)
      values ('account', ${user.email}, 500, now() - interval '15 minutes 1 second')
    `;

    // Act
    const response = await loginAs(user, '203.0.113.100');

    // Assess
    expect(response.status).toBe(200);
    const rows = await sql`select 1 from login_throttles where scope = 'account' and subject = ${user.email}`;
    expect(rows).toHaveLength(0);
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
