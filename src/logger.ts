/**
 * pino, with every value whose key looks like a credential replaced by "[redacted]":
 * authorization, cookie/set-cookie, password, and any key containing "token" or "secret"
 * (access_token, refreshToken, client_secret, linkToken, ...). pino's own `redact` needs exact
 * paths; we need key patterns at any depth, so the walk is ours.
 */
import pino, { type Logger } from "pino";

const SENSITIVE_KEY = /token|secret|password|authorization|cookie|^code$|^code_verifier$/i;
const MAX_DEPTH = 8;

export function redactDeep(value: unknown, depth = 0): unknown {
  if (depth > MAX_DEPTH || value === null || typeof value !== "object") return value;
  if (value instanceof Error) return { type: value.name, message: value.message };
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = SENSITIVE_KEY.test(k) ? "[redacted]" : redactDeep(v, depth + 1);
  }
  return out;
}

export function createLogger(options: { level: string; destination?: pino.DestinationStream }): Logger {
  return pino(
    {
      level: options.level,
      base: undefined,
      formatters: { log: (obj) => redactDeep(obj) as Record<string, unknown> },
    },
    options.destination,
  );
}

export type { Logger };
