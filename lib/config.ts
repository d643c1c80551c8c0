import { en } from 'zod/locales';
import * as z from 'zod/mini';
import { DEFAULT_BCRYPT_COST } from './auth/bcrypt-cost.ts';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

// zod/mini carries no messages of its own: English ones for configuration and request validation alike.
z.config(en());

const csv = z.pipe(
  z.string(),
  z.transform((value) =>
    value
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean),
  ),
);
const flag = z.pipe(
  z.enum(['true', 'false']),
  z.transform((value) => value === 'true'),
);
const positiveInt = z.coerce.number().check(z.int(), z.positive());
const nonEmpty = z.string().check(z.minLength(1));

/** The JWT secret is base64/base64url text; RFC 8725 §3.5 wants at least 256 random bits behind HS256. */
const jwtSecret = z.pipe(
  z.string(),
  z
    .transform((text: string) => Buffer.from(text, 'base64url'))
    .check(
      z.refine(
        (bytes) => bytes.length >= 32,
        'must decode (base64url) to at least 32 random bytes (256 bits)',
      ),
    ),
);

const EnvSchema = z.object({
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }),
  DATABASE_MAX_CONNECTIONS: z._default(positiveInt, 1),
  DATABASE_PREPARE: z._default(flag, true),
  DATABASE_CONNECT_TIMEOUT_SECONDS: z._default(positiveInt, 3),
  S3_ENDPOINT: z.optional(z.url()),
  S3_REGION: z._default(nonEmpty, 'us-east-1'),
  S3_ACCESS_KEY_ID: z.optional(nonEmpty),
  S3_SECRET_ACCESS_KEY: z.optional(nonEmpty),
  S3_FORCE_PATH_STYLE: z.optional(flag),
  VIDEOS_BUCKET: z._default(z.string().check(z.minLength(3)), 'clipiq-videos'),
  JWT_SECRET: jwtSecret,
  JWT_ISSUER: z._default(nonEmpty, 'clipiq'),
  JWT_AUDIENCE: z._default(nonEmpty, 'clipiq-api'),
  CORS_ORIGINS: z._default(csv, ['http://localhost:5173']),
  MAX_BODY_BYTES: z._default(positiveInt, 64 * 1024),
  MAX_UPLOAD_BYTES: z._default(positiveInt, 5 * GiB),
  MULTIPART_THRESHOLD_BYTES: z._default(positiveInt, 100 * MiB),
  RATE_LIMIT_PER_MINUTE: z._default(positiveInt, 300),
  RATE_LIMIT_AUTH_PER_MINUTE: z._default(positiveInt, 30),
  RATE_LIMIT_WINDOW_SECONDS: z._default(positiveInt, 60),
  BCRYPT_COST: z._default(
    z.coerce.number().check(z.int(), z.minimum(10), z.maximum(15)),
    DEFAULT_BCRYPT_COST,
  ),
});

export type Config = ReturnType<typeof parseConfig>;

/**
 * Parses the environment once; a missing or malformed variable stops the function at cold start with a
 * message naming every bad variable, instead of failing later inside a request.
 *
 * @example
 * const config = parseConfig({ DATABASE_URL: 'postgres://localhost/clipiq', JWT_SECRET: '…' });
 */
export function parseConfig(env: Record<string, string | undefined>) {
  const trimmed = Object.fromEntries(
    Object.entries(env)
      .map(([key, value]) => [key, value?.trim()])
      .filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = EnvSchema.safeParse(trimmed, { jitless: true });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`ClipIQ configuration is invalid:\n${problems.join('\n')}`);
  }
  const env_ = parsed.data;
  return {
    databaseUrl: env_.DATABASE_URL,
    database: {
      max: env_.DATABASE_MAX_CONNECTIONS,
      prepare: env_.DATABASE_PREPARE,
      connectTimeoutSeconds: env_.DATABASE_CONNECT_TIMEOUT_SECONDS,
    },
    storage: {
      endpoint: env_.S3_ENDPOINT,
      region: env_.S3_REGION,
      credentials:
        env_.S3_ACCESS_KEY_ID && env_.S3_SECRET_ACCESS_KEY
          ? { accessKeyId: env_.S3_ACCESS_KEY_ID, secretAccessKey: env_.S3_SECRET_ACCESS_KEY }
          : undefined,
      forcePathStyle: env_.S3_FORCE_PATH_STYLE ?? env_.S3_ENDPOINT !== undefined,
      bucket: env_.VIDEOS_BUCKET,
    },
    jwt: { secret: new Uint8Array(env_.JWT_SECRET), issuer: env_.JWT_ISSUER, audience: env_.JWT_AUDIENCE },
    corsOrigins: env_.CORS_ORIGINS,
    maxBodyBytes: env_.MAX_BODY_BYTES,
    maxUploadBytes: env_.MAX_UPLOAD_BYTES,
    multipartThresholdBytes: env_.MULTIPART_THRESHOLD_BYTES,
    bcryptCost: env_.BCRYPT_COST,
    rateLimit: {
      perWindow: env_.RATE_LIMIT_PER_MINUTE,
      authPerWindow: env_.RATE_LIMIT_AUTH_PER_MINUTE,
      windowSeconds: env_.RATE_LIMIT_WINDOW_SECONDS,
    },
  };
}

export const config = parseConfig(process.env);
