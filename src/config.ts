/**
 * The one place that reads the environment. `loadConfig(process.env)` runs once at start-up
 * and everything else receives the typed `Config` object.
 *
 * Development (the default): missing secrets are generated with a CSPRNG once, persisted to
 * `DATA_DIR/secrets.json` (mode 0600) and reused on the next start.
 * Production (`NODE_ENV=production`): a missing or weak secret is a start-up error naming the
 * variable and showing how to generate one.
 */
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { isIP } from "node:net";
import { availableParallelism } from "node:os";
import { join, resolve } from "node:path";
import { z } from "zod";

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

const SECRET_NAMES = ["AUTH_SECRET", "TOKEN_ENCRYPTION_KEY", "TOKEN_HASH_KEY"] as const;
type SecretName = (typeof SECRET_NAMES)[number];
const HOW_TO_GENERATE = `generate one with: node -e "console.log(require('crypto').randomBytes(32).toString('hex'))"`;

/** Decodes a 32-byte key written as 64 hex characters or as base64/base64url. */
export function decodeKey32(value: string): Buffer | null {
  const v = value.trim();
  if (/^[0-9a-fA-F]{64}$/.test(v)) return Buffer.from(v, "hex");
  if (/^[A-Za-z0-9+/_-]{43}={0,1}$/.test(v)) {
    const b = Buffer.from(v.replace(/-/g, "+").replace(/_/g, "/"), "base64");
    if (b.length === 32) return b;
  }
  return null;
}

/** Rejects keys that are structurally valid but obviously not random (all one byte value). */
function isDegenerate(bytes: Buffer): boolean {
  return bytes.every((b) => b === bytes[0]);
}

function checkSecret(name: SecretName, value: string): string | null {
  if (name === "AUTH_SECRET") {
    const bytes = Buffer.from(value, "utf8");
    if (bytes.length < 32) return `${name} is too short (${bytes.length} bytes, need at least 32); ${HOW_TO_GENERATE}`;
    if (isDegenerate(bytes)) return `${name} is weak (one repeated character); ${HOW_TO_GENERATE}`;
    return null;
  }
  const key = decodeKey32(value);
  if (!key) return `${name} must be exactly 32 bytes written as 64 hex characters or base64; ${HOW_TO_GENERATE}`;
  if (isDegenerate(key)) return `${name} is weak (all bytes equal, e.g. all zeros); ${HOW_TO_GENERATE}`;
  return null;
}

/** METRICS_TOKEN travels in an `Authorization: Bearer` header: visible ASCII, at least 32 characters, not one repeated. */
function metricsTokenProblem(value: string): string | null {
  if (!/^[\x21-\x7e]+$/.test(value)) return `METRICS_TOKEN must be printable ASCII without spaces (it is sent as a Bearer token); ${HOW_TO_GENERATE}`;
  if (value.length < 32) return `METRICS_TOKEN is too short (${value.length} characters, need at least 32); ${HOW_TO_GENERATE}`;
  if (isDegenerate(Buffer.from(value))) return `METRICS_TOKEN is weak (one repeated character); ${HOW_TO_GENERATE}`;
  return null;
}

/** Estimated entropy below which a production secret is refused: far below what 32 random bytes show (~150 bits as bytes, ~230 as hex). */
const MIN_ENTROPY_BITS = 96;

/**
 * Refuses (in production) a secret that is clearly not random data: a short repeated pattern
 * ("abcd" × 8, a hex key of one repeated 8-byte block), a mostly evenly stepping sequence
 * ("abcdef…", 00 01 02 …: one difference between neighbours makes up over half of them), or one whose symbols are too few and too uneven (length × Shannon entropy of
 * their frequencies under MIN_ENTROPY_BITS, e.g. 32 × "a", "x" × 16 + "y" × 16). `symbols` are the
 * key's bytes, or a text secret's characters.
 */
function lowEntropyProblem(name: string, symbols: readonly number[]): string | null {
  const n = symbols.length;
  const why = (reason: string) => `${name} is weak: ${reason}, not random data; ${HOW_TO_GENERATE}`;
  for (let period = 1; period <= n / 2; period++) {
    let repeats = true;
    for (let i = period; i < n && repeats; i++) repeats = symbols[i] === symbols[i - period];
    if (repeats) return why(`it repeats a pattern of ${period}`);
  }
  const counts = new Map<number, number>();
  for (const v of symbols) counts.set(v, (counts.get(v) ?? 0) + 1);
  let bitsPerSymbol = 0;
  for (const c of counts.values()) bitsPerSymbol -= (c / n) * Math.log2(c / n);
  const bits = Math.round(bitsPerSymbol * n);
  if (bits < MIN_ENTROPY_BITS) return why(`its characters carry about ${bits} bits (at least ${MIN_ENTROPY_BITS} needed)`);
  const steps = new Map<number, number>();
  for (let i = 1; i < n; i++) steps.set(symbols[i]! - symbols[i - 1]!, (steps.get(symbols[i]! - symbols[i - 1]!) ?? 0) + 1);
  if (n > 2 && Math.max(...steps.values()) > (n - 1) / 2) return why("it is mostly an evenly stepping sequence");
  return null;
}

const codePoints = (s: string) => Array.from(s, (ch) => ch.codePointAt(0)!);

const intFromEnv = (def: number, min: number, max: number) =>
  z.coerce.number().int().min(min).max(max).default(def);

const postgresUrl = (name: string) =>
  z.string().refine((v) => {
    try {
      const u = new URL(v);
      return (u.protocol === "postgres:" || u.protocol === "postgresql:") && u.hostname !== "";
    } catch {
      return false;
    }
  }, `${name} must look like postgres://user:password@host:5432/database`);

const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: intFromEnv(3000, 0, 65535),
  HOST: z.string().min(1).default("0.0.0.0"),
  TRUSTED_PROXIES: z.string().optional(),
  PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  ALLOW_INSECURE_PUBLIC_URL: z.enum(["0", "1"], { error: "ALLOW_INSECURE_PUBLIC_URL must be 1 (or 0)" }).optional(),
  DATABASE_URL: postgresUrl("DATABASE_URL").optional(),
  DATABASE_READ_URL: postgresUrl("DATABASE_READ_URL").optional(),
  DATABASE_READ_TIMEOUT_MS: intFromEnv(2000, 50, 60_000),
  DATABASE_READ_RETRY_SECONDS: intFromEnv(30, 1, 3600),
  DATABASE_PREPARED_STATEMENTS: z.enum(["on", "off"]).default("on"),
  // Off until measured on a quiet machine (issue 16): the property tests enable it themselves.
  DATABASE_BATCHING: z.enum(["on", "off"]).default("on"),
  DATABASE_BATCH_MAX_SIZE: intFromEnv(64, 1, 1000),
  DATABASE_BATCH_MAX_IN_FLIGHT: intFromEnv(2, 1, 64),
  DATA_DIR: z.string().min(1).default("./.data"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  AUTH_SECRET: z.string().optional(),
  TOKEN_ENCRYPTION_KEY: z.string().optional(),
  TOKEN_HASH_KEY: z.string().optional(),
  TOKEN_ENCRYPTION_PREVIOUS_KEYS: z.string().optional(),
  LINK_TOKEN_TTL_SECONDS: intFromEnv(600, 30, 86_400),
  ACCESS_TOKEN_TTL_SECONDS: intFromEnv(3600, 600, 86_400),
  REFRESH_TOKEN_TTL_SECONDS: intFromEnv(30 * 86_400, 3600, 365 * 86_400),
  REFRESH_GRACE_SECONDS: intFromEnv(120, 0, 3600),
  KARABAST_CLIENT_ID: z.string().min(1).max(200).optional(),
  KARABAST_CLIENT_SECRET: z.string().min(1).optional(),
  KARABAST_REDIRECT_URIS: z.string().optional(),
  KARABAST_SCOPES: z.string().default("decks email profile teams"),
  DEMO_PARTNER: z.enum(["on", "off"]).optional(),
  REQUEST_TIMEOUT_MS: intFromEnv(4500, 100, 600_000),
  PASSWORD_HASH_CONCURRENCY: z.coerce.number().int().min(1).max(256).optional(),
  PASSWORD_HASH_MAX_WAIT_MS: intFromEnv(2000, 0, 60_000),
  REDIS_URL: z.url({ protocol: /^rediss?$/, error: "REDIS_URL must look like redis://host:6379" }).optional(),
  REDIS_KEY_PREFIX: z
    .string()
    .max(100)
    .regex(/^[A-Za-z0-9:_.-]*$/, "REDIS_KEY_PREFIX may hold only letters, digits and : _ . -")
    .default(""),
  METRICS_TOKEN: z.string().optional(),
  RATE_LIMITS: z.enum(["on", "off"]).default("on"),
  // A ceiling against a leaked secret that Karabast's real traffic (tens per second, a few hundred
  // after a restart of its game servers) never reaches: README, configuration.
  RATE_LIMIT_PARTNER_PER_SECOND: intFromEnv(500, 1, 1_000_000),
  RATE_LIMIT_PARTNER_BURST: intFromEnv(1500, 0, 1_000_000),
  RATE_LIMIT_PARTNER_INVALID_TOKENS_PER_MINUTE: intFromEnv(3000, 1, 1_000_000),
  RATE_LIMIT_FAILED_AUTH_PER_MINUTE: intFromEnv(10, 1, 1_000_000),
  RATE_LIMIT_INVALID_TOKENS_PER_MINUTE: intFromEnv(30, 1, 1_000_000),
  RATE_LIMIT_UNAUTHENTICATED_PER_MINUTE: intFromEnv(60, 1, 1_000_000),
  RATE_LIMIT_LINK_CREATE_PER_MINUTE: intFromEnv(10, 1, 1_000_000),
  RATE_LIMIT_SIGN_IN_PER_15_MINUTES: intFromEnv(10, 1, 1_000_000),
  RATE_LIMIT_SIGN_IN_PER_ADDRESS_PER_15_MINUTES: intFromEnv(30, 1, 1_000_000),
  RATE_LIMIT_SIGN_UP_PER_HOUR: intFromEnv(30, 1, 1_000_000),
  RATE_LIMIT_PUBLIC_NOT_FOUND_PER_15_MINUTES: intFromEnv(30, 1, 1_000_000),
});

/** A reverse proxy (or a network of them) whose X-Forwarded-For is believed. */
export interface TrustedProxy {
  address: string;
  prefix: number;
  family: "ipv4" | "ipv6";
}

/** `10.0.0.1`, `10.0.0.0/8`, `fd00::/8`; an IPv4-mapped IPv6 entry (::ffff:10.0.0.1) is read as IPv4. Null when malformed. */
export function parseTrustedProxy(entry: string): TrustedProxy | null {
  const [rawAddress, rawPrefix, ...rest] = entry.trim().split("/");
  if (rest.length > 0 || !rawAddress) return null;
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(rawAddress);
  const address = mapped ? mapped[1]! : rawAddress;
  const family = isIP(address);
  if (family === 0 || address.includes("%")) return null;
  const bits = family === 4 ? 32 : 128;
  if (rawPrefix !== undefined && !/^\d{1,3}$/.test(rawPrefix)) return null;
  let prefix = rawPrefix === undefined ? bits : Number(rawPrefix);
  if (mapped && rawPrefix !== undefined) prefix -= 96;
  if (prefix < 0 || prefix > bits) return null;
  return { address, prefix, family: family === 4 ? "ipv4" : "ipv6" };
}

export interface KarabastClientConfig {
  clientId: string;
  secret: string;
  redirectUris: string[];
  scopes: string[];
}

export interface Config {
  env: "development" | "production" | "test";
  isProduction: boolean;
  port: number;
  host: string;
  /** Reverse proxies whose X-Forwarded-For names the client (TRUSTED_PROXIES); empty: the TCP peer is the client. */
  trustedProxies: TrustedProxy[];
  publicUrl: string;
  /** Secure cookies and HSTS follow the scheme of PUBLIC_URL. */
  secureCookies: boolean;
  databaseUrl: string | undefined;
  /** A streaming replica for statistics reads (DATABASE_READ_URL); null: every read goes to DATABASE_URL. */
  readReplica: ReadReplicaConfig | null;
  /** PostgreSQL only: statements run as named prepared statements (off for poolers that cannot keep them). */
  preparedStatements: boolean;
  /**
   * PostgreSQL only: group commit of refresh rotations, game ingests and link confirmations that
   * arrive together (src/repositories/batching); null when DATABASE_BATCHING=off.
   */
  batching: { maxBatchSize: number; maxInFlight: number } | null;
  dataDir: string;
  logLevel: string;
  secrets: {
    authSecret: string;
    tokenEncryptionKey: Buffer;
    /** Older encryption keys still accepted for decryption during a key rotation. */
    previousTokenEncryptionKeys: Buffer[];
    tokenHashKey: Buffer;
  };
  /** Names of secrets that were generated for development rather than supplied. */
  generatedSecrets: string[];
  tokens: {
    linkTokenTtlSeconds: number;
    accessTokenTtlSeconds: number;
    refreshTokenTtlSeconds: number;
    refreshGraceSeconds: number;
  };
  karabast: KarabastClientConfig | null;
  demoPartner: boolean;
  /** API requests still running after this answer 503 (a database that stopped answering). */
  requestTimeoutMs: number;
  /** Password hashing (scrypt on our low-priority hashing threads, src/auth/scrypt-workers.ts): how many at once, how long one may wait for a turn. */
  passwordHashing: { concurrency: number; maxWaitMs: number };
  redisUrl: string | undefined;
  /** Put before every Redis key (several deployments, or test runs, sharing one Redis). */
  redisKeyPrefix: string;
  rateLimits: RateLimitConfig | null;
  /** The bearer token of GET /metrics (METRICS_TOKEN); undefined: no metrics are kept and the route does not exist. */
  metricsToken: string | undefined;
}

/**
 * Where reads that may lag a moment (statistics) go. A read the replica fails (connection refused
 * or lost, shutting down) or leaves unanswered for `timeoutMs` runs on the primary instead, and
 * the replica rests for `retryAfterMs` before one read tries it again.
 */
interface ReadReplicaConfig {
  url: string;
  timeoutMs: number;
  retryAfterMs: number;
}

/** Budgets; null when RATE_LIMITS=off. */
export interface RateLimitConfig {
  partnerPerSecond: number;
  partnerBurst: number;
  partnerInvalidTokensPerMinute: number;
  failedAuthPerMinute: number;
  invalidTokensPerMinute: number;
  unauthenticatedPerMinute: number;
  linkCreatePerMinute: number;
  signInPer15Minutes: number;
  /** Failed password attempts per address, whatever the email (password spraying). */
  signInPerAddressPer15Minutes: number;
  /** Accounts created per address (better-auth's sign-up). */
  signUpPerHour: number;
  /** Public-profile lookups answered 404 per address (handle enumeration). */
  publicNotFoundPer15Minutes: number;
}

/** Reads (or creates) the development secrets file. */
function developmentSecrets(dataDir: string): Record<SecretName, string> {
  const file = join(dataDir, "secrets.json");
  let stored: Partial<Record<SecretName, string>> = {};
  if (existsSync(file)) {
    try {
      stored = JSON.parse(readFileSync(file, "utf8")) as Partial<Record<SecretName, string>>;
    } catch {
      throw new ConfigError([`${file} is not valid JSON; delete it to generate new development secrets`]);
    }
  }
  let changed = false;
  for (const name of SECRET_NAMES) {
    if (typeof stored[name] !== "string" || checkSecret(name, stored[name]) !== null) {
      stored[name] = randomBytes(32).toString("hex");
      changed = true;
    }
  }
  if (changed) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, JSON.stringify(stored, null, 2) + "\n", { mode: 0o600 });
    chmodSync(file, 0o600);
  }
  return stored as Record<SecretName, string>;
}

/**
 * One scrypt per core: the hashing threads run at a lower priority than request handling
 * (src/auth/scrypt-workers.ts), so they may use every core the requests leave idle.
 */
export function defaultHashConcurrency(cores: number): number {
  return Math.max(1, Math.floor(cores));
}

export function loadConfig(env: Record<string, string | undefined>): Config {
  // Empty strings mean "not set" (a common artefact of .env files and CI templates).
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = EnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join(".") || "environment"}: ${i.message}`));
  }
  const e = parsed.data;
  const isProduction = e.NODE_ENV === "production";
  const dataDir = resolve(e.DATA_DIR);
  const problems: string[] = [];

  const given: Partial<Record<SecretName, string>> = {
    AUTH_SECRET: e.AUTH_SECRET,
    TOKEN_ENCRYPTION_KEY: e.TOKEN_ENCRYPTION_KEY,
    TOKEN_HASH_KEY: e.TOKEN_HASH_KEY,
  };
  const generatedSecrets: string[] = [];
  const missing = SECRET_NAMES.filter((n) => given[n] === undefined);
  if (missing.length > 0) {
    if (isProduction) {
      for (const n of missing) problems.push(`${n} is required in production; ${HOW_TO_GENERATE}`);
    } else {
      const dev = developmentSecrets(dataDir);
      for (const n of missing) {
        given[n] = dev[n];
        generatedSecrets.push(n);
      }
    }
  }
  for (const n of SECRET_NAMES) {
    const value = given[n];
    if (value === undefined) continue;
    const problem = checkSecret(n, value);
    if (problem) problems.push(problem);
  }

  if (isProduction) {
    for (const n of SECRET_NAMES) {
      const value = given[n];
      if (value === undefined || checkSecret(n, value) !== null) continue;
      const problem = lowEntropyProblem(n, n === "AUTH_SECRET" ? codePoints(value) : [...decodeKey32(value)!]);
      if (problem) problems.push(problem);
    }
    if (e.KARABAST_CLIENT_SECRET && Buffer.byteLength(e.KARABAST_CLIENT_SECRET) >= 32) {
      const problem = lowEntropyProblem("KARABAST_CLIENT_SECRET", codePoints(e.KARABAST_CLIENT_SECRET));
      if (problem) problems.push(problem);
    }
    if (!e.PUBLIC_URL) problems.push("PUBLIC_URL is required in production (https://your.domain)");
    else if (e.PUBLIC_URL.startsWith("http:") && e.ALLOW_INSECURE_PUBLIC_URL !== "1")
      problems.push(
        "PUBLIC_URL must be https:// in production (else cookies lack Secure and there is no HSTS); set ALLOW_INSECURE_PUBLIC_URL=1 only for a deployment reached over plain http on a private network (e.g. behind a TLS-terminating proxy there)",
      );
  }

  const previousKeys: Buffer[] = [];
  for (const part of (e.TOKEN_ENCRYPTION_PREVIOUS_KEYS ?? "").split(",").map((s) => s.trim()).filter(Boolean)) {
    const key = decodeKey32(part);
    if (key) previousKeys.push(key);
    else problems.push("TOKEN_ENCRYPTION_PREVIOUS_KEYS must be a comma-separated list of 32-byte keys (hex or base64)");
  }

  const trustedProxies: TrustedProxy[] = [];
  for (const entry of (e.TRUSTED_PROXIES ?? "").split(",").map((s) => s.trim()).filter(Boolean)) {
    const proxy = parseTrustedProxy(entry);
    if (proxy) trustedProxies.push(proxy);
    else problems.push(`TRUSTED_PROXIES: "${entry}" is not an IP address or CIDR range (e.g. 10.0.0.1, 10.0.0.0/8, fd00::/8; comma separated)`);
  }

  if (e.DATABASE_READ_URL && !e.DATABASE_URL)
    problems.push("DATABASE_READ_URL needs DATABASE_URL: a read replica follows a PostgreSQL primary (the embedded database has none)");

  let karabast: KarabastClientConfig | null = null;
  if (e.KARABAST_CLIENT_ID || e.KARABAST_CLIENT_SECRET || e.KARABAST_REDIRECT_URIS) {
    const redirectUris = (e.KARABAST_REDIRECT_URIS ?? "").split(",").map((s) => s.trim()).filter(Boolean);
    if (!e.KARABAST_CLIENT_ID) problems.push("KARABAST_CLIENT_ID is required when any KARABAST_* setting is given");
    if (!e.KARABAST_CLIENT_SECRET || Buffer.byteLength(e.KARABAST_CLIENT_SECRET) < 32)
      problems.push(`KARABAST_CLIENT_SECRET must be at least 32 characters of random data; ${HOW_TO_GENERATE}`);
    if (redirectUris.length === 0) problems.push("KARABAST_REDIRECT_URIS must list at least one redirect URI (comma separated)");
    for (const uri of redirectUris) {
      if (!URL.canParse(uri) || !/^https?:$/.test(new URL(uri).protocol))
        problems.push(`KARABAST_REDIRECT_URIS: "${uri}" is not an absolute http(s) URL`);
    }
    karabast = {
      clientId: e.KARABAST_CLIENT_ID ?? "",
      secret: e.KARABAST_CLIENT_SECRET ?? "",
      redirectUris,
      scopes: e.KARABAST_SCOPES.split(/[\s+]+/).filter(Boolean),
    };
  }

  if (e.METRICS_TOKEN !== undefined) {
    const problem = metricsTokenProblem(e.METRICS_TOKEN);
    if (problem) problems.push(problem);
    else if (isProduction) {
      const weak = lowEntropyProblem("METRICS_TOKEN", codePoints(e.METRICS_TOKEN));
      if (weak) problems.push(weak);
    }
  }

  if (problems.length > 0) throw new ConfigError(problems);

  const publicUrl = (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, "");
  return {
    env: e.NODE_ENV,
    isProduction,
    port: e.PORT,
    host: e.HOST,
    trustedProxies,
    publicUrl,
    secureCookies: publicUrl.startsWith("https:"),
    databaseUrl: e.DATABASE_URL,
    readReplica: e.DATABASE_READ_URL
      ? { url: e.DATABASE_READ_URL, timeoutMs: e.DATABASE_READ_TIMEOUT_MS, retryAfterMs: e.DATABASE_READ_RETRY_SECONDS * 1000 }
      : null,
    preparedStatements: e.DATABASE_PREPARED_STATEMENTS === "on",
    batching: e.DATABASE_BATCHING === "on" ? { maxBatchSize: e.DATABASE_BATCH_MAX_SIZE, maxInFlight: e.DATABASE_BATCH_MAX_IN_FLIGHT } : null,
    dataDir,
    logLevel: e.LOG_LEVEL,
    secrets: {
      authSecret: given.AUTH_SECRET!,
      tokenEncryptionKey: decodeKey32(given.TOKEN_ENCRYPTION_KEY!)!,
      previousTokenEncryptionKeys: previousKeys,
      tokenHashKey: decodeKey32(given.TOKEN_HASH_KEY!)!,
    },
    generatedSecrets,
    tokens: {
      linkTokenTtlSeconds: e.LINK_TOKEN_TTL_SECONDS,
      accessTokenTtlSeconds: e.ACCESS_TOKEN_TTL_SECONDS,
      refreshTokenTtlSeconds: e.REFRESH_TOKEN_TTL_SECONDS,
      refreshGraceSeconds: e.REFRESH_GRACE_SECONDS,
    },
    karabast,
    demoPartner: e.DEMO_PARTNER ? e.DEMO_PARTNER === "on" : !isProduction,
    requestTimeoutMs: e.REQUEST_TIMEOUT_MS,
    passwordHashing: {
      concurrency: e.PASSWORD_HASH_CONCURRENCY ?? defaultHashConcurrency(availableParallelism()),
      maxWaitMs: e.PASSWORD_HASH_MAX_WAIT_MS,
    },
    redisUrl: e.REDIS_URL,
    redisKeyPrefix: e.REDIS_KEY_PREFIX,
    metricsToken: e.METRICS_TOKEN,
    rateLimits:
      e.RATE_LIMITS === "off"
        ? null
        : {
            partnerPerSecond: e.RATE_LIMIT_PARTNER_PER_SECOND,
            partnerBurst: e.RATE_LIMIT_PARTNER_BURST,
            partnerInvalidTokensPerMinute: e.RATE_LIMIT_PARTNER_INVALID_TOKENS_PER_MINUTE,
            failedAuthPerMinute: e.RATE_LIMIT_FAILED_AUTH_PER_MINUTE,
            invalidTokensPerMinute: e.RATE_LIMIT_INVALID_TOKENS_PER_MINUTE,
            unauthenticatedPerMinute: e.RATE_LIMIT_UNAUTHENTICATED_PER_MINUTE,
            linkCreatePerMinute: e.RATE_LIMIT_LINK_CREATE_PER_MINUTE,
            signInPer15Minutes: e.RATE_LIMIT_SIGN_IN_PER_15_MINUTES,
            signInPerAddressPer15Minutes: e.RATE_LIMIT_SIGN_IN_PER_ADDRESS_PER_15_MINUTES,
            signUpPerHour: e.RATE_LIMIT_SIGN_UP_PER_HOUR,
            publicNotFoundPer15Minutes: e.RATE_LIMIT_PUBLIC_NOT_FOUND_PER_15_MINUTES,
          },
  };
}
