import { sql } from '../db.ts';
import { tooManyRequests } from '../errors.ts';

export type ThrottleScope = 'account' | 'address';

export interface ThrottlePolicy {
  /** Failures allowed before any delay. */
  freeFailures: number;
  /** The first delay; each further failure doubles it. */
  baseDelaySeconds: number;
  /** No delay is longer: a flood of wrong passwords slows a user down but never locks them out for good. */
  maxDelaySeconds: number;
  /** A subject with no failure for this long starts from zero again. */
  resetAfterSeconds: number;
}

const shared = { baseDelaySeconds: 1, maxDelaySeconds: 15 * 60, resetAfterSeconds: 60 * 60 };
/** An address may front many people (NAT, offices), so it gets more slack than one account. */
export const THROTTLE_POLICIES: Record<ThrottleScope, ThrottlePolicy> = {
  account: { freeFailures: 5, ...shared },
  address: { freeFailures: 20, ...shared },
};

export interface ThrottleState {
  failures: number;
  lastFailedAt: Date;
}

/**
 * How many seconds a subject must still wait, given its recorded failures and the database's clock:
 * 0 while within the free failures, then base × 2^(n−1) after the n-th failure beyond them, capped.
 *
 * @example
 * retryAfterSeconds({ failures: 7, lastFailedAt }, THROTTLE_POLICIES.account, now); // up to 2
 */
export function retryAfterSeconds(state: ThrottleState, policy: ThrottlePolicy, now: Date) {
  const idleSeconds = (now.getTime() - state.lastFailedAt.getTime()) / 1000;
  const beyond = state.failures - policy.freeFailures;
  if (beyond <= 0 || idleSeconds >= policy.resetAfterSeconds) return 0;
  const delay = Math.min(policy.baseDelaySeconds * 2 ** (beyond - 1), policy.maxDelaySeconds);
  return Math.max(0, delay - idleSeconds);
}

export interface AttemptCounters {
  account?: ThrottleState;
  address?: ThrottleState;
  /** Whether the account the attempt names signed in from this address lately (see {@link recordLoginSuccess}). */
  knownAddress: boolean;
}

/**
 * How many seconds an attempt must still wait, given the counters of its account and its address. The address's
 * back-off always applies. The account's holds every address except those the account signed in from lately: a
 * trickle of wrong guesses can keep the account backing off for good, yet its owner gets in at once from a network
 * they used before, while an attacker's addresses stay held however many they have. An owner on a new network
 * during such an attack waits out the account's capped back-off.
 *
 * @example
 * attemptWaitSeconds({ account, knownAddress: true }, now); // 0: a known address is not held by the account
 */
export function attemptWaitSeconds(counters: AttemptCounters, now: Date): number {
  const { account, address, knownAddress } = counters;
  const addressWait = address ? retryAfterSeconds(address, THROTTLE_POLICIES.address, now) : 0;
  const accountWait =
    account && !knownAddress ? retryAfterSeconds(account, THROTTLE_POLICIES.account, now) : 0;
  return Math.max(addressWait, accountWait);
}

// How many addresses an account remembers as known, and for how long.
const KNOWN_ADDRESSES_PER_ACCOUNT = 20;
const KNOWN_ADDRESS_DAYS = 90;

export interface LoginAttempt {
  /** The normalised email the attempt names (whether or not such an account exists). */
  email: string;
  /** The client address as `clientAddress` keys it (an IPv6 address by its /64). */
  clientAddress: string;
}

const THROTTLED = 'Too many failed sign-in attempts; try again later';

/**
 * Counts a sign-in attempt as a failure of its account and its address before the password is checked, or refuses
 * it (429 with Retry-After) while they back off. Both counters are locked for the decision, so parallel attempts
 * queue and each sees those before it: no more reach bcrypt than the free failures allow. A refused attempt counts
 * nothing, so a flood cannot extend the block; a right password gives its attempt back with
 * {@link recordLoginSuccess}.
 *
 * @example
 * await countLoginAttempt({ email, clientAddress });
 */
export async function countLoginAttempt(attempt: LoginAttempt) {
  await sql.begin(async (tx) => {
    // A counter that does not exist yet cannot be locked: create missing ones at zero first.
    await tx`
      insert into login_throttles (scope, subject, failures, last_failed_at)
      values ('account', ${attempt.email}, 0, now()), ('address', ${attempt.clientAddress}, 0, now())
      on conflict do nothing
    `;
    const rows = await tx<(ThrottleState & { scope: ThrottleScope; now: Date })[]>`
      select scope, failures, last_failed_at, now() as now from login_throttles
      where (scope = 'account' and subject = ${attempt.email})
         or (scope = 'address' and subject = ${attempt.clientAddress})
      order by scope
      for update
    `;
    const [known] = await tx`
      select 1 from login_known_addresses k join users u on u.id = k.user_id
      where u.email = ${attempt.email} and k.address = ${attempt.clientAddress}
        and k.last_signed_in_at > now() - make_interval(days => ${KNOWN_ADDRESS_DAYS})
    `;
    const now = rows[0]?.now ?? new Date();
    const counters = Object.fromEntries(rows.map((row) => [row.scope, row]));
    const wait = attemptWaitSeconds({ ...counters, knownAddress: known !== undefined }, now);
    if (wait > 0) throw tooManyRequests(wait, THROTTLED);
    await tx`
      insert into login_throttles as t (scope, subject, failures, last_failed_at)
      values ('account', ${attempt.email}, 1, now()), ('address', ${attempt.clientAddress}, 1, now())
      on conflict (scope, subject) do update set
        failures = case when t.last_failed_at < now() - make_interval(secs => ${shared.resetAfterSeconds})
                        then 1 else t.failures + 1 end,
        last_failed_at = now()
    `;
  });
  // Stale counters cost nothing to keep but would pile up under a flood of made-up emails; trim a few each time.
  await sql`
    delete from login_throttles where ctid = any(array(
      select ctid from login_throttles
      where last_failed_at < now() - make_interval(secs => ${shared.resetAfterSeconds})
      limit 100
      for update skip locked
    ))
  `;
}

/**
 * Settles an attempt whose password was right: the account's failures are forgotten, the address gets back the
 * attempt counted for it, and the account remembers the address as known (its 20 most recent of the last 90 days).
 * The address keeps its other failures: otherwise a guesser could wipe them by signing in to an account of their
 * own between guesses.
 *
 * @example
 * await recordLoginSuccess({ email, clientAddress }, user.id);
 */
export async function recordLoginSuccess(attempt: LoginAttempt, userId: string) {
  // One statement: its parts share a snapshot, so the trim keeps the most recent others and spares this address.
  await sql`
    with forgotten as (delete from login_throttles where scope = 'account' and subject = ${attempt.email}),
    given_back as (
      update login_throttles set failures = greatest(failures - 1, 0)
      where scope = 'address' and subject = ${attempt.clientAddress}
    ),
    remembered as (
      insert into login_known_addresses (user_id, address, last_signed_in_at)
      values (${userId}, ${attempt.clientAddress}, now())
      on conflict (user_id, address) do update set last_signed_in_at = now()
    )
    delete from login_known_addresses
    where user_id = ${userId} and address <> ${attempt.clientAddress}
      and (last_signed_in_at <= now() - make_interval(days => ${KNOWN_ADDRESS_DAYS})
           or address not in (
             select address from login_known_addresses where user_id = ${userId} and address <> ${attempt.clientAddress}
             order by last_signed_in_at desc limit ${KNOWN_ADDRESSES_PER_ACCOUNT - 1}
           ))
  `;
}
