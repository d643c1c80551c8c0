import type middy from '@middy/core';
import { $ZodLazy, type $ZodType, safeParse } from 'zod/v4/core';
import { BadRequest, type FieldProblem } from '../errors.ts';
import '../validation-messages.ts';
import { type RouteEvent, routeInput } from './event.ts';

export interface ValidateOptions {
  body?: $ZodType;
  query?: $ZodType;
  params?: $ZodType;
}

/** A route's own request schemas (`lazySchema`) are built here, at cold start, instead of in its first request. */
function buildNow(schema: $ZodType | undefined) {
  if (schema instanceof $ZodLazy) void schema._zod.innerType;
}

/** Replaces body, query and path parameters with their parsed, typed values; any mismatch is one 400. */
export function validate(options: ValidateOptions): middy.MiddlewareObj {
  for (const schema of [options.body, options.query, options.params]) buildNow(schema);
  const validateInput: middy.MiddlewareFn = (request) => {
    const event = request.event as RouteEvent;
    const input = routeInput(request);
    const sources = {
      params: [options.params, event.pathParameters ?? {}],
      query: [options.query, event.queryStringParameters ?? {}],
      body: [options.body, input.body],
    } as const;
    const problems: FieldProblem[] = [];
    for (const [location, [schema, value]] of Object.entries(sources)) {
      if (!schema) continue;
      const parsed = safeParse(schema, value);
      if (parsed.success) {
        input[location as keyof typeof sources] = parsed.data;
      } else {
        for (const issue of parsed.error.issues) {
          problems.push({ path: [location, ...issue.path.map(String)].join('.'), message: issue.message });
        }
      }
    }
    if (problems.length > 0) throw new BadRequest('The request is invalid', { errors: problems });
  };
  return { before: validateInput };
}
