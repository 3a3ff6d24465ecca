// Environment → typed configuration. A wrong value stops start-up with one line naming the variable,
// so an operator never has to read a stack trace to find a typo.
import { BlockList, isIP } from 'node:net';
import { IANAZone } from 'luxon';
import { z } from 'zod';

/** Which reverse proxies' X-Forwarded-* to believe (src/http/client-address.ts walks the list). */
export type TrustProxy = { kind: 'hops'; hops: number } | { kind: 'list'; list: BlockList; text: string };

const NO_PROXY: TrustProxy = { kind: 'hops', hops: 0 };

const MAX_HOPS = 10;

/** Parses TRUST_PROXY; throws an Error whose message fits after "TRUST_PROXY: ". */
export function parseTrustProxy(raw: string): TrustProxy {
  const text = raw.trim();
  if (text === '' || text === 'false' || text === 'no') return NO_PROXY;
  if (text === 'true' || text === 'yes') {
    throw new Error(
      "'true' would trust any X-Forwarded-For a client sends; give the number of proxies in front (e.g. 1) or their addresses",
    );
  }
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    if (hops > MAX_HOPS) throw new Error(`at most ${MAX_HOPS} proxy hops`);
    return { kind: 'hops', hops };
  }
  const list = new BlockList();
  for (const part of text.split(',')) {
    const entry = part.trim();
    if (entry === 'loopback') {
      list.addSubnet('127.0.0.0', 8, 'ipv4');
      list.addAddress('::1', 'ipv6');
      continue;
    }
    const m = /^([^/]+)(?:\/(\d{1,3}))?$/.exec(entry);
    const family = m ? isIP(m[1]!) : 0;
    if (!m || family === 0) {
      throw new Error(
        `'${entry.slice(0, 60)}' is not a number of hops, 'false', 'loopback', an IP address or a CIDR`,
      );
    }
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (m[2] === undefined) {
      list.addAddress(m[1]!, type);
    } else {
      const prefix = Number(m[2]);
      if (prefix > (family === 4 ? 32 : 128))
        throw new Error(`'${entry}' has a prefix longer than the address`);
      list.addSubnet(m[1]!, prefix, type);
    }
  }
  return { kind: 'list', list, text };
}

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
  /** HTTP processes on PORT (node:cluster); 1 serves from this process. Up to one per core pays off. */
  API_PROCESSES: z.coerce.number().int().min(1).max(64).default(1),
  /**
   * Young-generation semi-space of each API child, in MB (V8's --max-semi-space-size; 0 = Node's default,
   * 16). A join allocates ~70 KB of short-lived objects (bench/join-cpu.ts); with 64 MB far fewer of them
   * live long enough to be promoted and collected again, which took GC from 12 % to 7 % of a join's CPU.
   * Costs up to ~3× this much memory per child.
   */
  API_SEMI_SPACE_MB: z.coerce.number().int().min(0).max(1024).default(64),
  /**
   * Scheduling niceness (0–19) of a process that runs the workers but serves no HTTP itself, so a draw
   * never takes CPU from joins on the same host. 0 leaves it alone.
   */
  WORKER_NICE: z.coerce.number().int().min(0).max(19).default(10),
  /**
   * When the nightly job rewrites Redis' AOF (local time in AOF_REWRITE_TZ), so Redis does not pick the
   * evening surge for it (src/redis/aof-compaction.ts); 'off' leaves rewrites to Redis alone.
   */
  AOF_REWRITE_AT: z
    .string()
    .regex(/^(?:(?:[01]\d|2[0-3]):[0-5]\d|off)$/, "must be HH:MM (24-hour) or 'off'")
    .default('03:00'),
  AOF_REWRITE_TZ: z
    .string()
    .refine((tz) => IANAZone.isValidZone(tz), 'must be an IANA time zone such as Asia/Jakarta')
    .default('Asia/Jakarta'),
  /** ROLE=worker only: serve /healthz, /readyz and /metrics (admin token) on this port. */
  METRICS_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  /** HMAC key for national IDs. Rotating it needs a re-hash (docs/operations.md). */
  NIK_HASH_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
  /**
   * The NIK key being rotated out: still checked when a NIK is entered, and persons found under it are
   * moved to NIK_HASH_KEY (docs/operations.md, "Rotating the NIK hashing key").
   */
  NIK_HASH_KEY_PREVIOUS: z.string().min(32, 'must be at least 32 characters').optional(),
  /**
   * Ed25519 key that signs the transparency log's head: PKCS#8 PEM (`openssl genpkey -algorithm ed25519`)
   * or a 32-byte seed in hex. Required in production; elsewhere a published development key signs.
   */
  LOG_SIGNING_KEY: z
    .string()
    .trim()
    .regex(
      /^(?:[0-9a-fA-F]{64}|-----BEGIN PRIVATE KEY-----[\s\S]+-----END PRIVATE KEY-----)$/,
      'must be an Ed25519 private key: PKCS#8 PEM or 64 hex digits',
    )
    .optional(),
  /** HMAC key for proof-of-work challenges and one-time codes. */
  APP_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  // Expected PBKDF2 iterations per solve: ~75 ms in Node, ~0.35 s on a cheap phone (see src/auth/pow.ts).
  // Unset: 200000, or trivial (0) in DEV_MODE.
  POW_COST: z.coerce.number().int().min(0).max(10_000_000).optional(),
  /**
   * Development mode (docs/development.md): trivial proof-of-work by default and a virtual clock that an
   * admin can move forward (POST /api/dev/clock), so `npm run demo -- --days N` runs whole days in minutes.
   * Refused under NODE_ENV=production.
   */
  DEV_MODE: bool.default(false),
  NODE_ENV: z.string().optional(),
  /** Load the demo offices into an empty store on start. */
  SEED_DEMO: bool.default(true),
  /** Set behind an HTTPS terminator so cookies get the Secure flag. */
  COOKIE_SECURE: bool.default(false),
  /**
   * Which reverse proxies' X-Forwarded-For/-Proto to believe: 'false' (none: the socket's peer is the
   * client), a number of hops, or their addresses/CIDRs ('loopback' for one on the same machine). See
   * src/http/client-address.ts.
   */
  TRUST_PROXY: z
    .string()
    .default('false')
    .transform((raw, ctx) => {
      try {
        return parseTrustProxy(raw);
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: (err as Error).message });
        return z.NEVER;
      }
    }),
  /** Scales every per-account and per-IP limit; raise only for load tests behind one IP. */
  RATE_LIMIT_MULTIPLIER: z.coerce.number().min(1).max(1_000_000).default(1),
  /** 'outbox' writes every message to DATA_DIR/outbox.jsonl; 'live' uses the SMS gateway and SMTP below. */
  NOTIFY_CHANNEL: z.enum(['outbox', 'live']).default('outbox'),
  /** SMTP server for e-mail, e.g. smtp://user:pass@mail.example:587 (smtps:// for implicit TLS). */
  SMTP_URL: z.url({ protocol: /^smtps?$/, error: 'must be an smtp:// or smtps:// URL' }).optional(),
  /** Sender of e-mails, e.g. 'fairslot <no-reply@fairslot.example>'. */
  SMTP_FROM: z
    .string()
    .regex(/^(?:[^<>]*<[^\s@<>]+@[^\s@<>]+>|[^\s@<>]+@[^\s@<>]+)$/, 'must be an address or Name <address>')
    .optional(),
  /** HTTP(S) endpoint that takes POST {to, text, id} and sends one SMS. */
  SMS_GATEWAY_URL: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).optional(),
  /** Bearer token for the SMS gateway. */
  SMS_GATEWAY_TOKEN: z.string().min(1).optional(),
  /** Upper bound on one provider call (HTTP request or each SMTP stage). */
  NOTIFY_TIMEOUT_MS: z.coerce.number().int().min(50).max(120_000).default(10_000),
  /** Tries per message before it is recorded as failed. */
  NOTIFY_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
  /** First retry delay; each further retry doubles it. */
  NOTIFY_BACKOFF_MS: z.coerce.number().int().min(1).max(3_600_000).default(5_000),
  /** At most NOTIFY_RATE_MAX messages per NOTIFY_RATE_DURATION_MS across all notify workers. */
  NOTIFY_RATE_MAX: z.coerce.number().int().min(1).max(100_000).default(20),
  NOTIFY_RATE_DURATION_MS: z.coerce.number().int().min(1).max(3_600_000).default(1_000),
  /** Per channel, matching each provider's contract: at most this many per NOTIFY_CHANNEL_WINDOW_S seconds. */
  NOTIFY_SMS_RATE_MAX: z.coerce.number().int().min(1).max(100_000).default(10),
  NOTIFY_EMAIL_RATE_MAX: z.coerce.number().int().min(1).max(100_000).default(10),
  NOTIFY_CHANNEL_WINDOW_S: z.coerce.number().int().min(1).max(3600).default(1),
  /**
   * Notify jobs in flight per worker process. A send waits on a file, a socket or a provider, not on the
   * CPU; what reaches a provider is capped by NOTIFY_RATE_MAX and the per-channel limits, not by this.
   */
  NOTIFY_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(64),
  /**
   * drand HTTP endpoints (comma-separated base URLs, e.g. https://api.drand.sh) that anchor every draw to a
   * public randomness round (docs/draw-spec.md). Unset: draws run unanchored, marked so in their records.
   */
  BEACON_URLS: z
    .string()
    .regex(/^https?:\/\/[^\s,]+(?:,https?:\/\/[^\s,]+)*$/, 'must be http(s) URLs separated by commas')
    .optional(),
  /** The drand chain (its hash); League of Entropy quicknet unless set. */
  BEACON_CHAIN_HASH: z
    .string()
    .regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex characters')
    .default('52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971'),
  /** The chain's public key (hex), checked against the chain info when set. */
  BEACON_PUBLIC_KEY: z
    .string()
    .regex(/^[0-9a-f]+$/, 'must be lowercase hex')
    .optional(),
  /** Seconds between a draw's close and its beacon round: entries are frozen and published before it. */
  BEACON_DELAY_S: z.coerce.number().int().min(1).max(3600).default(60),
  /** 'off' runs draws unanchored, even in production (said explicitly, never by omission); 'on' needs URLs. */
  BEACON: z.enum(['off', 'on']).optional(),
  REDIS_SERVER_BIN: z.string().min(1).default('redis-server'),
  REDIS_APPENDFSYNC: z.enum(['always', 'everysec', 'no']).default('everysec'),
  /** How a NIK is checked when a person is bound (docs/identity.md): its shape only, or the civil registry. */
  IDENTITY_VERIFIER: z.enum(['shape', 'registry']).default('shape'),
  IDENTITY_REGISTRY_URL: z
    .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })
    .optional(),
  IDENTITY_REGISTRY_TOKEN: z.string().min(1).optional(),
  /** Upper bound on one registry request; then a retry, then "unknown". */
  IDENTITY_TIMEOUT_MS: z.coerce.number().int().min(50).max(60_000).default(3_000),
  IDENTITY_RETRIES: z.coerce.number().int().min(0).max(5).default(2),
  IDENTITY_BACKOFF_MS: z.coerce.number().int().min(0).max(10_000).default(200),
  /** Consecutive failed requests that open the circuit, and how long it stays open. */
  IDENTITY_BREAKER_FAILURES: z.coerce.number().int().min(1).max(1000).default(5),
  IDENTITY_BREAKER_COOLDOWN_MS: z.coerce.number().int().min(100).max(3_600_000).default(30_000),
  /** How long a registry match is trusted for the same NIK, name and birth date. */
  IDENTITY_CACHE_TTL_S: z.coerce
    .number()
    .int()
    .min(60)
    .max(365 * 86400)
    .default(30 * 86400),
  /**
   * Key (64 hex digits) that seals a provisionally bound person's NIK until the registry answers; held in
   * the environment, never in Redis. Required with IDENTITY_VERIFIER=registry in production.
   */
  IDENTITY_SEAL_KEY: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hex digits')
    .optional(),
  /** First re-check of a provisional binding; each further one waits twice as long (12 tries). */
  IDENTITY_RECHECK_DELAY_MS: z.coerce.number().int().min(10).max(86_400_000).default(60_000),
  /** How long a sealed NIK waits for the registry before the applicant must enter it again. */
  IDENTITY_SEAL_TTL_S: z.coerce
    .number()
    .int()
    .min(60)
    .max(14 * 86400)
    .default(3 * 86400),
});

export type Config = Omit<z.infer<typeof configSchema>, 'POW_COST'> & {
  POW_COST: number;
  nikHashKey: string;
  nikHashKeyPrevious: string | null;
  appSecret: string;
  /** NODE_ENV=development or test: the built-in keys stand in for unset ones. */
  devKeys: boolean;
};

/** Public, so never a secret: used only where NODE_ENV says development or test. */
const DEV_KEYS = {
  NIK_HASH_KEY: 'dev-only-nik-hash-key-change-me-0000000',
  APP_SECRET: 'dev-only-app-secret-change-me-000000000',
} as const;

/** Values copied from an example or a default rather than generated: refused outside development. */
const PLACEHOLDER = /change-?me|changeme|dev-only|example|placeholder|secret-here|your-|xxxxxxxx/i;
const KEY_HINT = 'generate one with: openssl rand -base64 48';

/**
 * Outside development a key must be set, and be more than a placeholder: with a known APP_SECRET anyone
 * can forge proof-of-work and staff device cookies, and with a known NIK key brute-force NIK hashes.
 */
function keyProblem(value: string | undefined, devKeys: boolean): string | null {
  if (value === undefined) {
    return devKeys
      ? null
      : `required outside development (NODE_ENV=development uses built-in keys); ${KEY_HINT}`;
  }
  if (devKeys) return null;
  if (PLACEHOLDER.test(value)) return `looks like a placeholder, not a generated key; ${KEY_HINT}`;
  if (new Set(value).size < 10) return `has too few distinct characters to be a generated key; ${KEY_HINT}`;
  return null;
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(`invalid configuration: ${String(issue.path[0])}: ${issue.message}`);
  }
  const c = parsed.data;
  // The mode comes before the keys: with DEV_MODE left on in production, generating keys is the wrong fix.
  if (c.DEV_MODE && c.NODE_ENV === 'production')
    throw new ConfigError('invalid configuration: DEV_MODE: refused under NODE_ENV=production');
  // The virtual clock lives in one process: API children or a separate worker would each keep their own time.
  if (c.DEV_MODE && (c.ROLE !== 'all' || c.API_PROCESSES !== 1))
    throw new ConfigError('invalid configuration: DEV_MODE: needs ROLE=all and API_PROCESSES=1');
  const devKeys = env.NODE_ENV === 'development' || env.NODE_ENV === 'test';
  for (const name of ['NIK_HASH_KEY', 'APP_SECRET'] as const) {
    const problem = keyProblem(c[name], devKeys);
    if (problem) throw new ConfigError(`invalid configuration: ${name}: ${problem}`);
  }
  if (!devKeys && c.NIK_HASH_KEY === c.APP_SECRET)
    throw new ConfigError('invalid configuration: APP_SECRET: must differ from NIK_HASH_KEY');
  // A half-configured provider would fail every message at send time; say so at start-up instead.
  if (c.SMTP_URL && !c.SMTP_FROM)
    throw new ConfigError('invalid configuration: SMTP_FROM: required with SMTP_URL');
  if (c.NOTIFY_CHANNEL === 'live' && !c.SMTP_URL && !c.SMS_GATEWAY_URL)
    throw new ConfigError("invalid configuration: NOTIFY_CHANNEL: 'live' needs SMTP_URL or SMS_GATEWAY_URL");
  // Without an explicit new key the fallback dev key would become "current" and strand every person.
  if (c.NIK_HASH_KEY_PREVIOUS && !c.NIK_HASH_KEY)
    throw new ConfigError('invalid configuration: NIK_HASH_KEY: required with NIK_HASH_KEY_PREVIOUS');
  if (c.NIK_HASH_KEY_PREVIOUS && c.NIK_HASH_KEY_PREVIOUS === c.NIK_HASH_KEY)
    throw new ConfigError('invalid configuration: NIK_HASH_KEY_PREVIOUS: must differ from NIK_HASH_KEY');
  // BEACON=off is the explicit word and wins over URLs left in a shared environment.
  if (c.BEACON === 'off') c.BEACON_URLS = undefined;
  if (c.BEACON === 'on' && !c.BEACON_URLS)
    throw new ConfigError('invalid configuration: BEACON_URLS: required with BEACON=on');
  // A production draw nobody can rig needs a beacon; running without one must be said out loud.
  if (c.NODE_ENV === 'production' && !c.BEACON_URLS && c.BEACON !== 'off')
    throw new ConfigError(
      'invalid configuration: BEACON_URLS: required in production (or BEACON=off to run draws unanchored)',
    );
  // Heads signed with the published development key prove nothing, so production never signs with it.
  if (env.NODE_ENV === 'production' && !c.LOG_SIGNING_KEY)
    throw new ConfigError(
      'invalid configuration: LOG_SIGNING_KEY: required in production (NODE_ENV=production)',
    );
  checkIdentity(c, env.NODE_ENV === 'production');
  return {
    ...c,
    POW_COST: c.POW_COST ?? (c.DEV_MODE ? 0 : 200_000),
    nikHashKeyPrevious: c.NIK_HASH_KEY_PREVIOUS ?? null,
    // Only in development (checked above): fixed keys so `npm start` works with nothing set; main.ts warns.
    nikHashKey: c.NIK_HASH_KEY ?? DEV_KEYS.NIK_HASH_KEY,
    appSecret: c.APP_SECRET ?? DEV_KEYS.APP_SECRET,
    devKeys,
  };
}

/** The registry needs its URL; production sends NIKs over TLS only and seals them with its own key. */
function checkIdentity(c: z.infer<typeof configSchema>, production: boolean): void {
  if (c.IDENTITY_VERIFIER !== 'registry') return;
  if (!c.IDENTITY_REGISTRY_URL)
    throw new ConfigError(
      'invalid configuration: IDENTITY_REGISTRY_URL: required with IDENTITY_VERIFIER=registry',
    );
  if (production && !c.IDENTITY_REGISTRY_URL.startsWith('https://'))
    throw new ConfigError('invalid configuration: IDENTITY_REGISTRY_URL: must be https:// in production');
  if (production && !c.IDENTITY_SEAL_KEY)
    throw new ConfigError(
      'invalid configuration: IDENTITY_SEAL_KEY: required with the registry in production',
    );
}
