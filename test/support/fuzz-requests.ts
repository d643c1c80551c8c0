import fc from 'fast-check';
import { $ZodLazy, type $ZodType } from 'zod/v4/core';
import type { RouteWithHandler } from '#tools/openapi/route-table.ts';
import {
  hostileContentType,
  hostileJson,
  hostileNumber,
  hostileString,
  INVALID_UUIDS,
  NUMERIC_TEXT,
  objectOf,
  PROTOTYPE_KEYS,
  rawHostileBody,
} from './fuzz-inputs.ts';
import { concretePath, parameterNames } from './fuzz-routes.ts';
import { type AuthState, type FuzzWorld, VALID_FIELD_VALUES } from './fuzz-world.ts';
import type { ApiCall } from './lambda.ts';
import { TEST_CORS_ORIGIN } from './stack.ts';

interface SchemaDefinition {
  type: string;
  shape?: Record<string, unknown>;
  innerType?: $ZodType;
  in?: $ZodType;
}

/**
 * The field names of an object schema, seen through `lazy`, `optional`, `default` and `pipe` wrappers; none for other
 * schemas. The fuzzer aims most of its values at these names.
 */
export function schemaFields(schema: $ZodType | undefined): string[] {
  let current = schema;
  for (let unwrapped = 0; current && unwrapped < 8; unwrapped++) {
    const definition = current._zod.def as SchemaDefinition;
    if (definition.type === 'object') return Object.keys(definition.shape ?? {});
    current = current instanceof $ZodLazy ? current._zod.innerType : (definition.innerType ?? definition.in);
  }
  return [];
}

/**
 * A body for the route made of a valid value for each field of its schema (none when it takes no body).
 *
 * @example
 * await callRoute(route, { id }, { token, body: validBody(route) });
 */
export function validBody(
  route: RouteWithHandler,
  values: Readonly<Record<string, unknown>> = VALID_FIELD_VALUES,
) {
  if (!route.options.body) return undefined;
  return Object.fromEntries(
    schemaFields(route.options.body)
      .filter((field) => field in values)
      .map((field) => [field, values[field]]),
  );
}

/** Values that some field of ours accepts, so that generated requests also get past validation now and then. */
const plausibleValue = fc.constantFrom<unknown>(
  'A title',
  'video/mp4',
  'video/webm',
  'clip.mp4',
  'public',
  'private',
  'unlisted',
  'viewer',
  'creator',
  'admin',
  'fuzz@example.test',
  'fuzz_user',
  'correct horse battery staple',
  17_834,
  150 * 1024 * 1024,
  6 * 1024 ** 3,
  1,
  [{ PartNumber: 1, ETag: '"0123456789abcdef"' }],
);

const oddTimestamp = fc.oneof(
  fc.constantFrom(
    '2024-02-30T00:00:00.000000Z',
    '2024-13-01T00:00:00.000000Z',
    '2024-01-01T24:00:00.000000Z',
    '0000-01-01T00:00:00.000000Z',
    '9999-12-31T23:59:59.999999Z',
    'infinity',
    '-infinity',
    'epoch',
    'now',
  ),
  fc.date({ noInvalidDate: true }).map((date) => date.toISOString().replace('Z', '000Z')),
);
const cursorOf = (value: unknown) => Buffer.from(JSON.stringify(value) ?? '').toString('base64url');

/** Cursors a client could forge: any JSON, or sort keys of the right shape holding impossible values. */
const forgedCursor = fc.oneof(
  hostileJson.map(cursorOf),
  fc.tuple(oddTimestamp, fc.oneof(fc.uuid(), hostileString)).map(cursorOf),
  fc.tuple(fc.oneof(hostileNumber, fc.constant(1e39)), oddTimestamp, fc.uuid()).map(cursorOf),
  hostileString,
);

const queryValue = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...NUMERIC_TEXT) },
  { weight: 3, arbitrary: hostileString },
  { weight: 3, arbitrary: forgedCursor },
  { weight: 1, arbitrary: fc.constantFrom('true', 'false', 'video', 'the') },
);

/**
 * An object holding a valid value for every field it has one for, then with up to two fields replaced by
 * hostile values, one dropped, and maybe one unexpected key added: requests that get past most of validation
 * and reach the handler's own logic with one bad part.
 */
function nearlyValid(
  fields: readonly string[],
  validValues: Record<string, unknown>,
  badValue: fc.Arbitrary<unknown>,
): fc.Arbitrary<Record<string, unknown>> {
  const known = fields.filter((field) => field in validValues);
  if (known.length === 0) return fc.constant({});
  return fc
    .record({
      corrupted: fc.subarray(known, { maxLength: Math.min(2, known.length) }),
      replacements: fc.array(badValue, { minLength: 2, maxLength: 2 }),
      dropped: fc.subarray(known, { maxLength: 1 }),
      extra: fc.oneof(
        { weight: 2, arbitrary: fc.constant(null) },
        {
          weight: 1,
          arbitrary: fc.tuple(fc.constantFrom(...PROTOTYPE_KEYS, 'role', 'ownerId', 'status'), badValue),
        },
      ),
    })
    .map(({ corrupted, replacements, dropped, extra }) =>
      objectOf([
        ...known
          .filter((field) => !dropped.includes(field))
          .map((field) => {
            const index = corrupted.indexOf(field);
            return [field, index < 0 ? validValues[field] : replacements[index]] as const;
          }),
        ...(extra ? [extra] : []),
      ]),
    );
}

function queryOf(fields: readonly string[], validValues: Record<string, unknown>) {
  const name = fc.oneof(
    { weight: 6, arbitrary: fields.length > 0 ? fc.constantFrom(...fields) : fc.constant('limit') },
    { weight: 1, arbitrary: fc.constantFrom(...PROTOTYPE_KEYS, 'x') },
  );
  return fc.oneof(
    fc.array(fc.tuple(name, queryValue), { maxLength: 4 }).map((entries) => objectOf(entries)),
    nearlyValid(fields, validValues, queryValue),
  );
}

function pathValue(world: FuzzWorld) {
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...world.knownPathValues) },
    { weight: 3, arbitrary: hostileString },
    { weight: 1, arbitrary: fc.uuid() },
    { weight: 2, arbitrary: fc.constantFrom(...INVALID_UUIDS, ...NUMERIC_TEXT) },
  );
}

type BodyPart = Pick<ApiCall, 'body' | 'rawBody'> & { contentType?: string };

function bodyOf(fields: readonly string[], validValues: Record<string, unknown>): fc.Arbitrary<BodyPart> {
  const name = fc.oneof(
    { weight: 5, arbitrary: fields.length > 0 ? fc.constantFrom(...fields) : fc.constant('title') },
    { weight: 1, arbitrary: fc.constantFrom(...PROTOTYPE_KEYS, 'role', 'ownerId', 'status', 'viewCount') },
  );
  const value = fc.oneof({ weight: 2, arbitrary: plausibleValue }, { weight: 3, arbitrary: hostileJson });
  return fc.oneof(
    { weight: 1, arbitrary: fc.constant({}) },
    {
      weight: 3,
      arbitrary: fc
        .array(fc.tuple(name, value), { maxLength: 5 })
        .map((entries) => ({ body: objectOf(entries) })),
    },
    { weight: 4, arbitrary: nearlyValid(fields, validValues, hostileJson).map((body) => ({ body })) },
    { weight: 1, arbitrary: hostileJson.map((body) => ({ body: body ?? null })) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(rawHostileBody, hostileContentType)
        .map(([rawBody, contentType]) => ({ rawBody, contentType })),
    },
  );
}

/**
 * Hostile API Gateway calls for one route and caller: path parameters, query string and body built from the
 * route's own schemas (names it knows, values it must refuse) and from generic junk, in every auth state.
 *
 * @example
 * fc.assert(fc.asyncProperty(hostileCall(route, 'viewer', world), async (call) => { … }));
 */
export function hostileCall(
  route: RouteWithHandler,
  state: AuthState,
  world: FuzzWorld,
): fc.Arbitrary<ApiCall> {
  const names = parameterNames(route.path);
  const parameters = fc
    .tuple(...names.map(() => pathValue(world)))
    .map((values) => Object.fromEntries(names.map((name, index) => [name, values[index] as string])));
  return fc
    .record({
      parameters,
      query: queryOf(schemaFields(route.options.query), world.validValues),
      body: bodyOf(schemaFields(route.options.body), world.validValues),
      authorization: world.authorization(state),
      origin: fc.option(
        fc.oneof(fc.constant(TEST_CORS_ORIGIN), fc.constant('https://evil.example'), hostileString),
      ),
      cookie: fc.option(hostileString.map((token) => `refreshToken=${token}`)),
    })
    .map(({ parameters: values, query, body, authorization, origin, cookie }) => {
      const headers: Record<string, string> = {};
      if (authorization !== undefined) headers.authorization = authorization;
      if (origin !== null) headers.origin = origin;
      if (body.contentType) headers['content-type'] = body.contentType;
      return {
        method: route.method,
        path: concretePath(route.path, values),
        ...(names.length > 0 ? { pathParameters: values } : {}),
        ...(Object.keys(query).length > 0 ? { query: query as Record<string, string> } : {}),
        ...('body' in body ? { body: body.body } : {}),
        ...(body.rawBody !== undefined ? { rawBody: body.rawBody } : {}),
        headers,
        ...(cookie !== null ? { cookies: [cookie] } : {}),
      } satisfies ApiCall;
    });
}
