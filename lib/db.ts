import postgres from 'postgres';
import { config } from './config.ts';

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
