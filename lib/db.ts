import postgres from 'postgres';
import { config } from './environment.ts';

/**
 * The one PostgreSQL client of this Lambda environment. `max: 1` because an environment serves one request at a
 * time; idle connections are closed before the database or a proxy drops them, and a broken connection is
 * replaced on the next query, so a database restart needs no function restart.
 *
 * @example
 * const [user] = await sql`select id, email from users where id = ${id}`;
 */
export const sql = postgres(config.databaseUrl, {
  max: config.database.max,
  prepare: config.database.prepare,
  connect_timeout: config.database.connectTimeoutSeconds,
  idle_timeout: 20,
  max_lifetime: 60 * 30,
  transform: postgres.camel,
  onnotice: () => {},
  connection: { application_name: 'clipiq' },
  // int8 (counts, sizes in bytes) as JS numbers: every value we store stays far below 2^53.
  types: {
    bigint: {
      to: 20,
      from: [20],
      serialize: (value: number) => String(value),
      parse: (value: string) => Number(value),
    },
  },
});

export type Sql = typeof sql;
/** A transaction handle (`sql.begin(tx => …)`) or the client itself: functions that write take either. */
export type SqlOrTransaction = Sql | postgres.TransactionSql;

/** postgres.js and Node socket codes, and PostgreSQL SQLSTATEs, that mean "the database is not reachable now". */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'CONNECT_TIMEOUT',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  '57P01',
  '57P02',
  '57P03',
  '53300',
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
]);

/**
 * Whether an error means the database cannot be reached now (the request may succeed shortly), as opposed to a
 * query it refused.
 *
 * @example
 * isDatabaseUnavailable(error); // true for ECONNREFUSED or 57P01 (admin shutdown)
 */
export function isDatabaseUnavailable(error: unknown) {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && UNAVAILABLE_CODES.has(code);
}
