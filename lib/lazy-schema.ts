import * as z from 'zod/mini';
import type { $ZodType } from 'zod/v4/core';

/**
 * A schema built on first use, never at module load. Building a zod schema costs cold-start time, and a function
 * bundles the modules of other routes too, so every named schema is declared with this:
 * - request schemas (body, query, params) are built by the route that validates with them, at its cold start
 *   (`lib/http/validate.ts`), so a function builds none of the other routes' schemas that share its modules;
 * - response schemas only document the API (the OpenAPI document, the response tests): never built in a Lambda;
 * - cursor schemas are built by the first request for a next page.
 * Field schemas that are only ever parts of these are plain factories (`() => z.string()…`), built with their whole.
 *
 * Each call carries a `@__PURE__` annotation, so a bundle drops the schemas it never uses: esbuild honours the
 * annotation only at the call site, not on this declaration from another module (evanw/esbuild#4369).
 *
 * @example
 * export const UserIdParams = lazySchema(() => z.strictObject({ id: z.uuid() })); // with @__PURE__ before lazySchema
 */
export function lazySchema<T extends $ZodType>(build: () => T) {
  return z.lazy(build);
}
