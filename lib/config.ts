import { DEFAULT_BCRYPT_COST } from './auth/bcrypt-cost.ts';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

/** What a setting's parser returns for text it refuses: the reason, worded to follow the variable's name. */
class Refused {
  readonly reason: string;
  constructor(reason: string) {
    this.reason = reason;
  }
}
type Parse<T> = (text: string) => T | Refused;

const wholeNumber =
  (min: number, max = Number.MAX_SAFE_INTEGER): Parse<number> =>
  (text) => {
    const value = Number(text);
    if (/^\d+$/.test(text) && value >= min && value <= max) return value;
    return new Refused(
      max === Number.MAX_SAFE_INTEGER
        ? `must be a whole number of at least ${min}`
        : `must be a whole number from ${min} to ${max}`,
    );
  };
const positiveInt = wholeNumber(1);
const flag: Parse<boolean> = (text) =>
  text === 'true' || text === 'false' ? text === 'true' : new Refused('must be true or false');
const anyText: Parse<string> = (text) => text;
const list: Parse<string[]> = (text) =>
  text
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
const url =
  (protocols: string[]): Parse<string> =>
  (text) =>
    protocols.includes(URL.parse(text)?.protocol ?? '')
      ? text
      : new Refused(
          `must be a URL starting with ${protocols.map((protocol) => `${protocol}//`).join(' or ')}`,
        );
/** S3's bucket naming rules, so a typo fails at cold start instead of on the first upload. */
const bucketName: Parse<string> = (text) =>
  /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(text)
    ? text
    : new Refused('must be an S3 bucket name: 3–63 lowercase letters, digits, dots or hyphens');
/** Random 32 bytes show ≥ 16 distinct values with probability 1 − 3·10⁻¹⁷; a constant or a short repeat shows a few. */
const SECRET_MIN_DISTINCT_BYTES = 16;
/**
 * Secrets (JWT_SECRET, CURSOR_SECRET) are base64/base64url text; RFC 8725 §3.5 wants at least 256 random bits behind HS256. Length alone
 * lets "000…0" through, so the decoded bytes must also vary the way random bytes do.
 */
const randomSecret: Parse<Uint8Array> = (text) => {
  const bytes = new Uint8Array(Buffer.from(text, 'base64url'));
  if (bytes.length < 32) return new Refused('must decode (base64url) to at least 32 random bytes (256 bits)');
  const distinct = new Set(bytes).size;
  return distinct >= SECRET_MIN_DISTINCT_BYTES
    ? bytes
    : new Refused(
        `is not random (its bytes take only ${distinct} distinct values); generate one with \`openssl rand -base64 32\``,
      );
};

/**
 * Reads settings from the environment, trimmed, an empty value counting as unset, and keeps every refusal so the
 * error names all bad variables at once. Plain parsers rather than a zod schema: every function reads its
 * configuration at cold start, and building and running a schema for these twenty variables cost about 3.5 ms of
 * a 20 ms import budget.
 */
function environment(env: Record<string, string | undefined>) {
  const problems: string[] = [];
  function optional<T>(name: string, parse: Parse<T>): T | undefined {
    const text = env[name]?.trim();
    if (!text) return undefined;
    const value = parse(text);
    if (!(value instanceof Refused)) return value;
    problems.push(`${name}: ${value.reason}`);
    return undefined;
  }
  return {
    problems,
    optional,
    withDefault: <T>(name: string, parse: Parse<T>, fallback: T) => optional(name, parse) ?? fallback,
    required<T>(name: string, parse: Parse<T>) {
      if (!env[name]?.trim()) problems.push(`${name}: is required`);
      return optional(name, parse) as T;
    },
  };
}

export type Config = ReturnType<typeof parseConfig>;

/**
 * Parses the environment once; a missing or malformed variable stops the function at cold start with a
 * message naming every bad variable, instead of failing later inside a request.
 *
 * @example
 * const config = parseConfig({ DATABASE_URL: 'postgres://localhost/clipiq', JWT_SECRET: '…' });
 */
export function parseConfig(env: Record<string, string | undefined>) {
  const read = environment(env);
  const s3Endpoint = read.optional('S3_ENDPOINT', url(['http:', 'https:']));
  const accessKeyId = read.optional('S3_ACCESS_KEY_ID', anyText);
  const secretAccessKey = read.optional('S3_SECRET_ACCESS_KEY', anyText);
  const config = {
    databaseUrl: read.required('DATABASE_URL', url(['postgres:', 'postgresql:'])),
    database: {
      max: read.withDefault('DATABASE_MAX_CONNECTIONS', positiveInt, 1),
      prepare: read.withDefault('DATABASE_PREPARE', flag, true),
      connectTimeoutSeconds: read.withDefault('DATABASE_CONNECT_TIMEOUT_SECONDS', positiveInt, 3),
    },
    storage: {
      endpoint: s3Endpoint,
      region: read.withDefault('S3_REGION', anyText, 'us-east-1'),
      credentials: accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : undefined,
      forcePathStyle: read.withDefault('S3_FORCE_PATH_STYLE', flag, s3Endpoint !== undefined),
      bucket: read.withDefault('VIDEOS_BUCKET', bucketName, 'clipiq-videos'),
    },
    jwt: {
      secret: read.required('JWT_SECRET', randomSecret),
      issuer: read.withDefault('JWT_ISSUER', anyText, 'clipiq'),
      audience: read.withDefault('JWT_AUDIENCE', anyText, 'clipiq-api'),
    },
    /** The key that signs search cursors; unset, one derived from JWT_SECRET (lib/pagination.ts). */
    cursorSecret: read.optional('CURSOR_SECRET', randomSecret),
    corsOrigins: read.withDefault('CORS_ORIGINS', list, ['http://localhost:5173']),
    /** Where clients open the WebSocket (a ticket URL starts with it); pushes go to its management endpoint. */
    websocketUrl: read.withDefault('WEBSOCKET_URL', url(['ws:', 'wss:']), 'ws://127.0.0.1:3001'),
    maxBodyBytes: read.withDefault('MAX_BODY_BYTES', positiveInt, 64 * 1024),
    maxUploadBytes: read.withDefault('MAX_UPLOAD_BYTES', positiveInt, 5 * GiB),
    multipartThresholdBytes: read.withDefault('MULTIPART_THRESHOLD_BYTES', positiveInt, 100 * MiB),
    /** Quotas of a user whose limits no admin set (users.storage_limit_bytes, daily_upload_limit_bytes). */
    defaultQuotas: {
      storageLimitBytes: read.withDefault('DEFAULT_STORAGE_LIMIT_BYTES', wholeNumber(0), 100 * GiB),
      dailyUploadLimitBytes: read.withDefault('DEFAULT_DAILY_UPLOAD_LIMIT_BYTES', wholeNumber(0), 20 * GiB),
    },
    maxSubscriptionsPerUser: read.withDefault('MAX_SUBSCRIPTIONS_PER_USER', positiveInt, 5000),
    bcryptCost: read.withDefault('BCRYPT_COST', wholeNumber(10, 15), DEFAULT_BCRYPT_COST),
    refreshAbsoluteLifetimeDays: read.withDefault('REFRESH_ABSOLUTE_LIFETIME_DAYS', wholeNumber(1, 3650), 30),
    rateLimit: {
      perWindow: read.withDefault('RATE_LIMIT_PER_MINUTE', positiveInt, 300),
      authPerWindow: read.withDefault('RATE_LIMIT_AUTH_PER_MINUTE', positiveInt, 30),
      postsPerWindow: read.withDefault('RATE_LIMIT_POSTS_PER_MINUTE', positiveInt, 10),
      windowSeconds: read.withDefault('RATE_LIMIT_WINDOW_SECONDS', positiveInt, 60),
    },
    /** Where clients reach this API; playback and poster URLs start with it. */
    publicApiUrl: read
      .withDefault('PUBLIC_API_URL', url(['http:', 'https:']), 'http://localhost:3000')
      .replace(/\/+$/, ''),
    media: {
      /** Media units running at once, over every video (Lambda invocations; local ffmpeg processes). */
      concurrency: read.withDefault('MEDIA_CONCURRENCY', positiveInt, 2),
      /** The function every media step is invoked as (asynchronously). */
      functionName: read.withDefault('MEDIA_FUNCTION_NAME', anyText, 'clipiq-dev-mediaProcess'),
      /** The Lambda invoke API; unset, AWS's. Locally serverless-offline's (LAMBDA_PORT). */
      lambdaEndpoint: read.optional('LAMBDA_ENDPOINT', url(['http:', 'https:'])),
      ffmpegPath: read.optional('FFMPEG_PATH', anyText),
      ffprobePath: read.optional('FFPROBE_PATH', anyText),
    },
  };
  if (read.problems.length > 0) {
    throw new Error(
      `ClipIQ configuration is invalid:\n${read.problems.map((line) => `  ${line}`).join('\n')}`,
    );
  }
  return config;
}
