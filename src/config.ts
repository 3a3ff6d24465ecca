// Environment → typed configuration. A wrong value stops start-up with one line naming the variable,
// so an operator never has to read a stack trace to find a typo.
import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const configSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  REDIS_URL: z
    .string()
    .regex(/^(redis|rediss|redis\+cluster):\/\//, 'must start with redis://, rediss:// or redis+cluster://')
    .optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ROLE: z.enum(['api', 'worker', 'all']).default('all'),
  /** HMAC key for national IDs. Rotating it needs a re-hash (docs/operations.md). */
  NIK_HASH_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
  /** HMAC key for proof-of-work challenges and one-time codes. */
  APP_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  // Expected PBKDF2 iterations per solve: ~0.15 s in Node, ~0.7 s on a cheap phone (see src/auth/pow.ts).
  POW_COST: z.coerce.number().int().min(0).max(10_000_000).default(400_000),
  /** Load the demo offices into an empty store on start. */
  SEED_DEMO: bool.default(true),
  /** Set behind an HTTPS terminator so cookies get the Secure flag. */
  COOKIE_SECURE: bool.default(false),
  TRUST_PROXY: bool.default(false),
  /** Scales every per-account and per-IP limit; raise only for load tests behind one IP. */
  RATE_LIMIT_MULTIPLIER: z.coerce.number().min(1).max(1_000_000).default(1),
  NOTIFY_CHANNEL: z.enum(['outbox']).default('outbox'),
  REDIS_SERVER_BIN: z.string().min(1).default('redis-server'),
  REDIS_APPENDFSYNC: z.enum(['always', 'everysec', 'no']).default('everysec'),
});

export type Config = z.infer<typeof configSchema> & { nikHashKey: string; appSecret: string };

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(`invalid configuration: ${String(issue.path[0])}: ${issue.message}`);
  }
  const c = parsed.data;
  return {
    ...c,
    // Development falls back to fixed keys so `npm start` works with nothing set; main.ts warns loudly.
    nikHashKey: c.NIK_HASH_KEY ?? 'dev-only-nik-hash-key-change-me-0000000',
    appSecret: c.APP_SECRET ?? 'dev-only-app-secret-change-me-000000000',
  };
}
