import { parseConfig } from './config.ts';

/**
 * This environment's configuration, parsed once at cold start: a missing or malformed variable stops the function
 * before its first request. Tooling that runs outside a function parses what it needs with `parseConfig` instead.
 *
 * @example
 * const sql = postgres(config.databaseUrl, { max: config.database.max });
 */
export const config = parseConfig(process.env);
