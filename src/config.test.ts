import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, decodeKey32, defaultHashConcurrency, loadConfig } from "./config.js";

const HEX = "0f1e2d3c4b5a69788796a5b4c3d2e1f00112233445566778899aabbccddeeff0";
const GOOD = { AUTH_SECRET: "q8Vn3LxT0pZr7KwYc2HsJ5dMf9GbUe4A", TOKEN_ENCRYPTION_KEY: HEX, TOKEN_HASH_KEY: HEX.split("").reverse().join("") };
/** A production environment that starts: every later test changes one thing. */
const PROD = { NODE_ENV: "production", PUBLIC_URL: "https://swubase.example", ...GOOD };

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe("loadConfig", () => {
  it("applies defaults", () => {
    const dir = mkdtempSync(join(tmpdir(), "swl-config-"));
    const config = loadConfig({ DATA_DIR: dir });
    expect(config.port).toBe(3000);
    expect(config.publicUrl).toBe("http://localhost:3000");
    expect(config.databaseUrl).toBeUndefined();
    expect(config.secureCookies).toBe(false);
    expect(config.tokens).toEqual({ linkTokenTtlSeconds: 600, accessTokenTtlSeconds: 3600, refreshTokenTtlSeconds: 2_592_000, refreshGraceSeconds: 120 });
    expect(config.demoPartner).toBe(true);
    expect(config.preparedStatements).toBe(true);
  });

  it("generates development secrets once, stores them with mode 0600 and reuses them", () => {
    const dir = mkdtempSync(join(tmpdir(), "swl-config-"));
    const first = loadConfig({ DATA_DIR: dir });
    const file = join(dir, "secrets.json");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(first.generatedSecrets).toEqual(["AUTH_SECRET", "TOKEN_ENCRYPTION_KEY", "TOKEN_HASH_KEY"]);
    const second = loadConfig({ DATA_DIR: dir });
    expect(second.secrets.tokenEncryptionKey.equals(first.secrets.tokenEncryptionKey)).toBe(true);
    expect(second.secrets.authSecret).toBe(first.secrets.authSecret);
    expect(Object.keys(JSON.parse(readFileSync(file, "utf8")))).toHaveLength(3);
  });

  it("refuses to start in production without secrets, naming each variable and how to generate it", () => {
    const problems = problemsOf({ NODE_ENV: "production" });
    expect(problems.join("\n")).toMatch(/AUTH_SECRET is required/);
    expect(problems.join("\n")).toMatch(/TOKEN_ENCRYPTION_KEY is required/);
    expect(problems.join("\n")).toMatch(/TOKEN_HASH_KEY is required/);
    expect(problems[0]).toMatch(/randomBytes\(32\)/);
  });

  it.each([
    ["TOKEN_ENCRYPTION_KEY", "00".repeat(32), /weak/],
    ["TOKEN_ENCRYPTION_KEY", "abcd", /exactly 32 bytes/],
    ["TOKEN_HASH_KEY", "ab".repeat(31), /exactly 32 bytes/],
    ["TOKEN_HASH_KEY", Buffer.alloc(32).toString("base64"), /weak/],
    ["AUTH_SECRET", "short", /too short/],
    ["AUTH_SECRET", "a".repeat(40), /weak/],
  ])("rejects a weak %s in production", (name, value, message) => {
    const problems = problemsOf({ ...PROD, [name]: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(name);
    expect(problems[0]).toMatch(message);
  });

  it.each([
    ["AUTH_SECRET", "abcd".repeat(8), /pattern of 4/],
    ["AUTH_SECRET", "x".repeat(16) + "y".repeat(16) + "z", /about 38 bits/],
    ["AUTH_SECRET", "abcdefghijklmnopqrstuvwxyz012345", /evenly stepping/],
    ["AUTH_SECRET", "Password1!Password1!Password1!Pa", /pattern of 10/],
    ["TOKEN_ENCRYPTION_KEY", "0123456789abcdef".repeat(4), /pattern of 8/],
    ["TOKEN_HASH_KEY", Buffer.from(Array.from({ length: 32 }, (_, i) => i)).toString("hex"), /evenly stepping/],
    ["TOKEN_HASH_KEY", Buffer.from(Array.from({ length: 32 }, (_, i) => (i < 28 ? 7 : i))).toString("base64"), /about \d+ bits/],
    ["KARABAST_CLIENT_SECRET", "s".repeat(40), /pattern of 1/],
    ["KARABAST_CLIENT_SECRET", "swbs_" + "ab".repeat(20), /about \d+ bits/],
    ["METRICS_TOKEN", "metrics!".repeat(4), /pattern of 8/],
  ])("refuses a low-entropy %s in production, naming it (32 × \"a\": see above)", (name, value, message) => {
    const karabast = { KARABAST_CLIENT_ID: "karabast", KARABAST_REDIRECT_URIS: "https://karabast.example/cb", KARABAST_CLIENT_SECRET: `swbs_${randomBytes(32).toString("base64url")}` };
    const problems = problemsOf({ ...PROD, ...karabast, [name]: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`^${name} is weak: `));
    expect(problems[0]).toMatch(message);
    expect(problems[0]).toMatch(/randomBytes\(32\)/);
    // Development keeps starting with such values (tests and local runs use fixed ones).
    expect(problemsOf({ ...GOOD, ...karabast, [name]: value, DATA_DIR: mkdtempSync(join(tmpdir(), "swl-config-")) })).toEqual([]);
  });

  it("keeps no metrics without METRICS_TOKEN, and refuses a short, spaced or one-character token everywhere", () => {
    const dataDir = mkdtempSync(join(tmpdir(), "swl-config-"));
    expect(loadConfig({ ...GOOD, DATA_DIR: dataDir }).metricsToken).toBeUndefined();
    expect(loadConfig({ ...GOOD, DATA_DIR: dataDir, METRICS_TOKEN: "" }).metricsToken).toBeUndefined(); // empty means unset
    const token = randomBytes(32).toString("base64url");
    expect(loadConfig({ ...PROD, METRICS_TOKEN: token }).metricsToken).toBe(token);
    for (const env of [GOOD, PROD]) {
      expect(problemsOf({ ...env, DATA_DIR: dataDir, METRICS_TOKEN: "short-token" })).toEqual([expect.stringMatching(/^METRICS_TOKEN is too short \(11 characters, need at least 32\); .*randomBytes\(32\)/)]);
      expect(problemsOf({ ...env, DATA_DIR: dataDir, METRICS_TOKEN: `${token} ${token}` })).toEqual([expect.stringMatching(/^METRICS_TOKEN must be printable ASCII without spaces/)]);
      expect(problemsOf({ ...env, DATA_DIR: dataDir, METRICS_TOKEN: "m".repeat(40) })).toEqual([expect.stringMatching(/^METRICS_TOKEN is weak/)]);
    }
  });

  it("takes a Redis key prefix of letters, digits and : _ . - (empty by default)", () => {
    const dataDir = mkdtempSync(join(tmpdir(), "swl-config-"));
    expect(loadConfig({ ...GOOD, DATA_DIR: dataDir }).redisKeyPrefix).toBe("");
    expect(loadConfig({ ...GOOD, DATA_DIR: dataDir, REDIS_KEY_PREFIX: "swubase-link:prod." }).redisKeyPrefix).toBe("swubase-link:prod.");
    expect(problemsOf({ ...GOOD, DATA_DIR: dataDir, REDIS_KEY_PREFIX: "a b*" })).toEqual(["REDIS_KEY_PREFIX: REDIS_KEY_PREFIX may hold only letters, digits and : _ . -"]);
  });

  it("accepts secrets from a CSPRNG in production, as hex and as base64", () => {
    for (let i = 0; i < 200; i++) {
      const hex = () => randomBytes(32).toString("hex");
      expect(
        problemsOf({
          ...PROD,
          AUTH_SECRET: i % 2 ? hex() : randomBytes(32).toString("base64url"),
          TOKEN_ENCRYPTION_KEY: hex(),
          TOKEN_HASH_KEY: randomBytes(32).toString("base64"),
          KARABAST_CLIENT_ID: "karabast",
          KARABAST_REDIRECT_URIS: "https://karabast.example/cb",
          KARABAST_CLIENT_SECRET: i % 2 ? `swbs_${randomBytes(32).toString("base64url")}` : randomBytes(16).toString("hex"),
        }),
      ).toEqual([]);
    }
  });

  it("refuses an http:// or missing PUBLIC_URL in production unless ALLOW_INSECURE_PUBLIC_URL=1", () => {
    const insecure = problemsOf({ ...PROD, PUBLIC_URL: "http://swubase.example" });
    expect(insecure).toHaveLength(1);
    expect(insecure[0]).toMatch(/^PUBLIC_URL must be https:\/\/ in production.*ALLOW_INSECURE_PUBLIC_URL=1/);
    expect(problemsOf({ ...PROD, PUBLIC_URL: undefined as unknown as string })[0]).toMatch(/^PUBLIC_URL is required in production/);
    const allowed = loadConfig({ ...PROD, PUBLIC_URL: "http://swubase.internal:8080", ALLOW_INSECURE_PUBLIC_URL: "1" });
    expect(allowed.publicUrl).toBe("http://swubase.internal:8080");
    expect(allowed.secureCookies).toBe(false);
    expect(problemsOf({ ...PROD, PUBLIC_URL: "http://swubase.example", ALLOW_INSECURE_PUBLIC_URL: "0" })[0]).toMatch(/^PUBLIC_URL must be https/);
    expect(problemsOf({ ...PROD, ALLOW_INSECURE_PUBLIC_URL: "yes" })[0]).toMatch(/ALLOW_INSECURE_PUBLIC_URL must be 1/);
    // Development and tests keep their http://localhost default.
    expect(loadConfig({ ...GOOD, DATA_DIR: mkdtempSync(join(tmpdir(), "swl-config-")) }).publicUrl).toBe("http://localhost:3000");
  });

  it("accepts good production secrets in hex and base64", () => {
    const b64 = Buffer.from(HEX, "hex").toString("base64");
    const config = loadConfig({ ...PROD, TOKEN_HASH_KEY: b64, PUBLIC_URL: "https://swubase.example/" });
    expect(config.secrets.tokenHashKey.equals(Buffer.from(HEX, "hex"))).toBe(true);
    expect(config.publicUrl).toBe("https://swubase.example");
    expect(config.secureCookies).toBe(true);
    expect(config.demoPartner).toBe(false);
  });

  it("rejects a malformed DATABASE_URL", () => {
    expect(problemsOf({ ...GOOD, DATABASE_URL: "mysql://x@y/z" })[0]).toMatch(/DATABASE_URL/);
    expect(problemsOf({ ...GOOD, DATABASE_URL: "not a url" })[0]).toMatch(/DATABASE_URL/);
    expect(problemsOf({ ...GOOD, DATABASE_URL: "postgres://postgres@127.0.0.1:5432/db" })).toEqual([]);
  });

  it("takes DATABASE_READ_URL only beside DATABASE_URL, with its timeout and retry", () => {
    const primary = "postgres://app@db-primary:5432/swubase";
    const replica = "postgres://app@db-replica:5432/swubase";
    expect(loadConfig({ ...GOOD, DATABASE_URL: primary }).readReplica).toBeNull();
    expect(loadConfig({ ...GOOD, DATABASE_URL: primary, DATABASE_READ_URL: replica }).readReplica).toEqual({ url: replica, timeoutMs: 2000, retryAfterMs: 30_000 });
    expect(
      loadConfig({ ...GOOD, DATABASE_URL: primary, DATABASE_READ_URL: replica, DATABASE_READ_TIMEOUT_MS: "500", DATABASE_READ_RETRY_SECONDS: "5" }).readReplica,
    ).toEqual({ url: replica, timeoutMs: 500, retryAfterMs: 5000 });
    expect(problemsOf({ ...GOOD, DATABASE_READ_URL: replica })).toEqual([expect.stringMatching(/DATABASE_READ_URL needs DATABASE_URL/)]);
    expect(problemsOf({ ...GOOD, DATABASE_URL: primary, DATABASE_READ_URL: "mysql://x@y/z" })[0]).toMatch(/^DATABASE_READ_URL: DATABASE_READ_URL must look like postgres:/);
    expect(problemsOf({ ...GOOD, DATABASE_URL: primary, DATABASE_READ_URL: replica, DATABASE_READ_TIMEOUT_MS: "0" })[0]).toMatch(/DATABASE_READ_TIMEOUT_MS/);
    expect(problemsOf({ ...GOOD, DATABASE_URL: primary, DATABASE_READ_URL: replica, DATABASE_READ_RETRY_SECONDS: "soon" })[0]).toMatch(/DATABASE_READ_RETRY_SECONDS/);
    // Empty means unset, as for every variable.
    expect(loadConfig({ ...GOOD, DATABASE_URL: primary, DATABASE_READ_URL: "" }).readReplica).toBeNull();
  });

  it("reads DATABASE_PREPARED_STATEMENTS as on or off only", () => {
    const dir = mkdtempSync(join(tmpdir(), "swl-config-"));
    expect(loadConfig({ DATA_DIR: dir, DATABASE_PREPARED_STATEMENTS: "off" }).preparedStatements).toBe(false);
    expect(problemsOf({ ...GOOD, DATABASE_PREPARED_STATEMENTS: "false" })[0]).toMatch(/DATABASE_PREPARED_STATEMENTS/);
  });

  it("reads the batching settings: on by default, off, and bounded sizes", () => {
    const dir = mkdtempSync(join(tmpdir(), "swl-config-"));
    expect(loadConfig({ DATA_DIR: dir, DATABASE_BATCHING: "on" }).batching).toEqual({ maxBatchSize: 64, maxInFlight: 2 });
    expect(loadConfig({ DATA_DIR: dir, DATABASE_BATCHING: "off" }).batching).toBeNull();
    expect(loadConfig({ DATA_DIR: dir }).batching).toEqual({ maxBatchSize: 64, maxInFlight: 2 });
    expect(loadConfig({ DATA_DIR: dir, DATABASE_BATCHING: "on", DATABASE_BATCH_MAX_SIZE: "8", DATABASE_BATCH_MAX_IN_FLIGHT: "1" }).batching).toEqual({ maxBatchSize: 8, maxInFlight: 1 });
    expect(problemsOf({ ...GOOD, DATABASE_BATCHING: "true" })[0]).toMatch(/DATABASE_BATCHING/);
    expect(problemsOf({ ...GOOD, DATABASE_BATCH_MAX_SIZE: "0" })[0]).toMatch(/DATABASE_BATCH_MAX_SIZE/);
    expect(problemsOf({ ...GOOD, DATABASE_BATCH_MAX_SIZE: "many" })[0]).toMatch(/DATABASE_BATCH_MAX_SIZE/);
    expect(problemsOf({ ...GOOD, DATABASE_BATCH_MAX_IN_FLIGHT: "65" })[0]).toMatch(/DATABASE_BATCH_MAX_IN_FLIGHT/);
  });

  it("sizes password hashing to the cores", () => {
    expect(defaultHashConcurrency(2)).toBe(2);
    expect(defaultHashConcurrency(16)).toBe(16);
    expect(defaultHashConcurrency(0)).toBe(1);
    const dir = mkdtempSync(join(tmpdir(), "swl-config-"));
    expect(loadConfig({ DATA_DIR: dir, PASSWORD_HASH_CONCURRENCY: "3", PASSWORD_HASH_MAX_WAIT_MS: "1500" }).passwordHashing).toEqual({ concurrency: 3, maxWaitMs: 1500 });
    expect(loadConfig({ DATA_DIR: dir }).passwordHashing).toEqual({ concurrency: availableParallelism(), maxWaitMs: 2000 });
    expect(problemsOf({ ...GOOD, PASSWORD_HASH_CONCURRENCY: "0" })[0]).toMatch(/PASSWORD_HASH_CONCURRENCY/);
    expect(problemsOf({ ...GOOD, PASSWORD_HASH_MAX_WAIT_MS: "soon" })[0]).toMatch(/PASSWORD_HASH_MAX_WAIT_MS/);
  });

  it("rejects bad numbers and ports", () => {
    expect(problemsOf({ ...GOOD, PORT: "abc" })[0]).toMatch(/PORT/);
    expect(problemsOf({ ...GOOD, PORT: "70000" })[0]).toMatch(/PORT/);
    expect(problemsOf({ ...GOOD, ACCESS_TOKEN_TTL_SECONDS: "60" })[0]).toMatch(/ACCESS_TOKEN_TTL_SECONDS/);
  });

  it("reads TRUSTED_PROXIES as comma-separated addresses and CIDR ranges", () => {
    const dir = mkdtempSync(join(tmpdir(), "swl-config-"));
    expect(loadConfig({ DATA_DIR: dir }).trustedProxies).toEqual([]);
    expect(loadConfig({ DATA_DIR: dir, TRUSTED_PROXIES: " 10.0.0.0/8, 192.0.2.1 ,fd00::/8,::ffff:172.16.0.0/108" }).trustedProxies).toEqual([
      { address: "10.0.0.0", prefix: 8, family: "ipv4" },
      { address: "192.0.2.1", prefix: 32, family: "ipv4" },
      { address: "fd00::", prefix: 8, family: "ipv6" },
      { address: "172.16.0.0", prefix: 12, family: "ipv4" },
    ]);
  });

  it.each(["proxy.internal", "10.0.0.0/33", "fd00::/129", "10.0.0.0/", "10.0.0.0/8/8", "10.0.0.0/-1", "10.0.0.0/ 8", "300.0.0.1"])("rejects TRUSTED_PROXIES entry %j, naming the variable", (entry) => {
    const problems = problemsOf({ ...GOOD, TRUSTED_PROXIES: `10.0.0.1,${entry}` });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain("TRUSTED_PROXIES");
    expect(problems[0]).toContain(JSON.stringify(entry.trim()));
  });

  it("decodes 32-byte keys only", () => {
    expect(decodeKey32(HEX)?.length).toBe(32);
    expect(decodeKey32(Buffer.alloc(32, 7).toString("base64url"))?.length).toBe(32);
    expect(decodeKey32(Buffer.alloc(31, 7).toString("base64"))).toBeNull();
  });
});
