import { randomUUID } from 'node:crypto';
import fc from 'fast-check';

/** Lone UTF-16 halves: JSON can carry them (`"\ud800"`), UTF-8 cannot. */
const LONE_SURROGATES = ['\uD800', '\uDBFF', '\uDC00', '\uDFFF', 'a\uD800b', '\uDFFF\uD800'];
const AWKWARD_CHARACTERS = [
  '\u0000',
  'a\u0000b',
  '\u202E',
  '\uFEFF',
  '\u200B',
  '\r\n',
  '\t',
  '\u2028',
  '\uFFFF',
  '\u{10FFFF}',
  '💥',
  'e\u0301',
  'İ',
  'ß',
  '<script>alert(1)</script>',
  '../../etc/passwd',
  '%00',
  '%2e%2e%2f',
];
const SQL_METACHARACTERS = [
  `'`,
  `''`,
  `"`,
  '\\',
  ';',
  '--',
  '/*',
  '*/',
  '%',
  '_',
  `' or '1'='1`,
  `'; drop table users; --`,
  '$1',
  '$$',
  '::text',
  '&',
  '|',
  '!',
  ':*',
  '<->',
  '(',
  ')',
  '*',
];
/** Text that a lenient number parser would take: every one must be refused or read exactly. */
export const NUMERIC_TEXT = [
  '-1',
  '0',
  '-0',
  '1',
  '20',
  '100',
  '101',
  '10000',
  '10001',
  '1e309',
  '1e-309',
  '1e2',
  'NaN',
  'Infinity',
  '-Infinity',
  '0x10',
  '0b1',
  '1_000',
  ' 5',
  '5 ',
  '5.5',
  '9007199254740993',
  '+1',
  '',
  ' ',
  '00000000000000000001',
  'null',
  'true',
  '[]',
];
/** Keys that reach `Object.prototype` when code copies them naively. */
export const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype'];

const uuid = randomUUID();
/** Almost UUIDs: each must be a 400, never a PostgreSQL cast error. */
export const INVALID_UUIDS = [
  uuid.toUpperCase(),
  `{${uuid}}`,
  uuid.replaceAll('-', ''),
  `${uuid}x`,
  uuid.slice(0, -1),
  `urn:uuid:${uuid}`,
  `${uuid.slice(0, -1)}g`,
  `${uuid} `,
  `${uuid}\u0000`,
  `${uuid},${uuid}`,
  `${uuid}/../${uuid}`,
];
const EDGE_UUIDS = ['00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff'];

/** Strings of many lengths: within and just above each bound, and well past the body cap. */
const longString = fc
  .tuple(fc.constantFrom(61, 201, 257, 1001, 5001, 20_000, 70_000), fc.constantFrom('a', 'é', '€', '💥', ' '))
  .map(([length, unit]) => unit.repeat(length));

const hostileUnit = fc.constantFrom(
  ...LONE_SURROGATES,
  ...AWKWARD_CHARACTERS,
  ...SQL_METACHARACTERS,
  'a',
  'Z',
  '1',
  ' ',
);

/**
 * Hostile text: awkward unicode (lone surrogates, NUL, bidi controls), SQL and tsquery metacharacters, numbers
 * written oddly, near-UUIDs, and very long strings.
 */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...LONE_SURROGATES, ...AWKWARD_CHARACTERS, ...SQL_METACHARACTERS) },
  { weight: 2, arbitrary: fc.constantFrom(...NUMERIC_TEXT) },
  { weight: 2, arbitrary: fc.constantFrom(...INVALID_UUIDS, ...EDGE_UUIDS) },
  { weight: 1, arbitrary: fc.uuid() },
  { weight: 3, arbitrary: fc.string({ unit: hostileUnit, maxLength: 12 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 24 }) },
  { weight: 1, arbitrary: longString },
);

/** Numbers JSON can carry that no field of ours wants: negative, fractional, past 2^53, the extremes. */
export const hostileNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(
    -1,
    0,
    -0,
    0.5,
    1.5,
    2 ** 31,
    2 ** 53,
    2 ** 53 + 2,
    Number.MAX_VALUE,
    -Number.MAX_VALUE,
    Number.MIN_VALUE,
    1e21,
  ),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

export const hostileScalar: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: hostileString },
  { weight: 2, arbitrary: hostileNumber },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constant(null) },
);

const hostileKey = fc.oneof(
  { weight: 2, arbitrary: fc.constantFrom(...PROTOTYPE_KEYS) },
  { weight: 1, arbitrary: fc.constantFrom('role', 'ownerId', 'status', 'id', 'passwordHash', 'isAdmin', '') },
  { weight: 1, arbitrary: fc.stringMatching(/^[a-z][a-zA-Z0-9]{0,8}$/) },
);

/** Builds an object whose keys become own properties, `__proto__` included (as JSON.parse would make them). */
export function objectOf(entries: readonly (readonly [string, unknown])[]) {
  const object: Record<string, unknown> = {};
  for (const [key, value] of entries) {
    Object.defineProperty(object, key, { value, enumerable: true, configurable: true, writable: true });
  }
  return object;
}

/** Any JSON value a hostile client could send: nested arrays and objects of hostile keys and scalars. */
export const hostileJson: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    hostileScalar,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.array(fc.tuple(hostileKey, tie('value')), { maxLength: 4 }).map(objectOf),
  ),
})).value;

/**
 * JSON nested `depth` levels deep, as raw text (the cap is 16 levels; 5,000 levels is still far inside the
 * body size cap).
 */
export const deeplyNested = fc
  .tuple(fc.constantFrom(15, 16, 17, 40, 5_000), fc.constantFrom('[', '{"a":'), fc.boolean())
  .map(([depth, opening, wrapInObject]) => {
    const closing = opening === '[' ? ']' : '}';
    const nested = `${opening.repeat(depth)}1${closing.repeat(depth)}`;
    return wrapInObject ? `{"title":${nested}}` : nested;
  });

/** Request bodies that are not JSON a parser accepts as intended: broken, huge, or with numbers past doubles. */
export const rawHostileBody = fc.oneof(
  fc.constantFrom(
    '{',
    '{"a":1,}',
    "{'a':1}",
    'nul',
    '\uFEFF{}',
    '{"sizeBytes":1e400}',
    '{"sizeBytes":-1e400}',
    '{"limit":NaN}',
    '{"a":"\\ud800"}',
    '{"a":"\\u0000"}',
    '{"__proto__":{"role":"admin"},"constructor":{"prototype":{"role":"admin"}}}',
    '{"title":"a","title":"b"}',
    '[]',
    '""',
    '0',
    'null',
    'true',
  ),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(65_537, 200_000, 1_100_000).map((length) => JSON.stringify({ title: 'x'.repeat(length) })),
  deeplyNested,
);

export const hostileContentType = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-8',
  'APPLICATION/JSON',
  'application/problem+json',
  'application/json; charset=utf-16',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  '',
  'application/jsonp',
);
