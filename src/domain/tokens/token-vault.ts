/**
 * Everything secret about tokens, in one short module:
 *  - generation: 256 bits from the CSPRNG (through random-pool.ts), base64url, with a type prefix so a leaked token is
 *    recognisable (swbl_ link, swba_ access, swbr_ refresh);
 *  - access and refresh tokens are split tokens: the prefix, then the link's locator (16 base64url
 *    characters, not secret), then the 256-bit secret. The locator finds the link through an index
 *    that never changes, so a rotation changes no indexed column and PostgreSQL can update the row
 *    in place (a HOT update: no new index entries); the secret is checked by its digest on that
 *    one row. Knowing a locator gives nothing: without the secret no digest matches, and the
 *    digest is an HMAC under a server key, so how long the comparison takes tells nothing either;
 *  - lookup digest: HMAC-SHA256 under TOKEN_HASH_KEY, indexed in the database, so a token is
 *    found without decrypting anything and a stolen table cannot be searched offline;
 *  - storage encryption: AES-256-CBC with a random IV, then HMAC-SHA256 over
 *    version‖key id‖IV‖ciphertext (encrypt-then-MAC: tampering is detected before decryption,
 *    so there is no padding oracle). Keys for the two steps are derived from
 *    TOKEN_ENCRYPTION_KEY with HKDF-SHA256 (RFC 5869), never used directly for both.
 */
import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, timingSafeEqual } from "node:crypto";
import { secureRandomBytes } from "./random-pool.js";

export type TokenKind = "link" | "access" | "refresh" | "client_secret";

const PREFIX: Record<TokenKind, string> = { link: "swbl_", access: "swba_", refresh: "swbr_", client_secret: "swbs_" };
const VERSION = "v1";

/** Access and refresh tokens carry their link's locator; the others are the secret alone. */
export type LocatedTokenKind = "access" | "refresh";
const LOCATOR_CHARS = 16; // 12 bytes, base64url
const SECRET_CHARS = 43; // 32 bytes, base64url without padding
const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** A new link locator: 12 random bytes (96 bits, so two links never share one), base64url. */
export function newTokenLocator(): string {
  return secureRandomBytes(12).toString("base64url");
}

export function generateToken(kind: Exclude<TokenKind, LocatedTokenKind>): string;
export function generateToken(kind: LocatedTokenKind, locator: string): string;
export function generateToken(kind: TokenKind, locator = ""): string {
  const wellFormedLocator = locator.length === LOCATOR_CHARS && BASE64URL.test(locator);
  if ((kind === "access" || kind === "refresh") !== wellFormedLocator) throw new Error(`a ${kind} token ${locator ? "takes no" : "needs a"} locator`);
  return PREFIX[kind] + locator + secureRandomBytes(32).toString("base64url");
}

/** What follows `kind`'s prefix in `token`, when that is exactly `length` base64url characters. */
function afterPrefix(kind: LocatedTokenKind, token: string, length: number): string | null {
  const prefix = PREFIX[kind];
  if (token.length !== prefix.length + length || !token.startsWith(prefix)) return null;
  const rest = token.slice(prefix.length);
  return BASE64URL.test(rest) ? rest : null;
}

/** An access or refresh token issued before locators (drizzle/0009): the prefix and the secret alone. */
export function isLocatorlessToken(kind: LocatedTokenKind, token: string): boolean {
  return afterPrefix(kind, token, SECRET_CHARS) !== null;
}

/**
 * The locator of a well-formed access or refresh token, or null for anything else (another kind,
 * a token from before locators, or garbage), which then needs no database lookup at all.
 */
export function tokenLocator(kind: LocatedTokenKind, token: string): string | null {
  return afterPrefix(kind, token, LOCATOR_CHARS + SECRET_CHARS)?.slice(0, LOCATOR_CHARS) ?? null;
}

/** Constant-time equality for secrets and digests of any length. */
export function constantTimeEqual(a: Buffer | string, b: Buffer | string): boolean {
  const x = Buffer.isBuffer(a) ? a : Buffer.from(a);
  const y = Buffer.isBuffer(b) ? b : Buffer.from(b);
  // Compare fixed-length digests so neither the length nor the content leaks through timing.
  const dx = createHash("sha256").update(x).digest();
  const dy = createHash("sha256").update(y).digest();
  return timingSafeEqual(dx, dy) && x.length === y.length;
}

interface EncryptionKey {
  id: string;
  encKey: Buffer;
  macKey: Buffer;
}

function deriveKey(master: Buffer): EncryptionKey {
  const derive = (info: string) => Buffer.from(hkdfSync("sha256", master, Buffer.alloc(0), info, 32));
  return {
    id: createHash("sha256").update("swubase-link key id").update(master).digest("hex").slice(0, 8),
    encKey: derive("swubase-link token aes-256-cbc"),
    macKey: derive("swubase-link token hmac-sha256"),
  };
}

export class TokenDecryptionError extends Error {
  constructor(reason: string) {
    super(`stored token rejected: ${reason}`);
    this.name = "TokenDecryptionError";
  }
}

export class TokenVault {
  private readonly current: EncryptionKey;
  private readonly byId: Map<string, EncryptionKey>;

  constructor(options: { encryptionKey: Buffer; previousEncryptionKeys?: Buffer[]; hashKey: Buffer }) {
    this.current = deriveKey(options.encryptionKey);
    this.byId = new Map([this.current, ...(options.previousEncryptionKeys ?? []).map(deriveKey)].map((k) => [k.id, k]));
    this.hashKey = options.hashKey;
  }

  private readonly hashKey: Buffer;

  get currentKeyId(): string {
    return this.current.id;
  }

  /** The indexed lookup value of a token. */
  digest(token: string): Buffer {
    return createHmac("sha256", this.hashKey).update(token, "utf8").digest();
  }

  encrypt(plaintext: string): string {
    const k = this.current;
    const iv = secureRandomBytes(16);
    const cipher = createCipheriv("aes-256-cbc", k.encKey, iv);
    const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
    const tag = this.tag(k, iv, ciphertext);
    return [VERSION, k.id, iv.toString("base64url"), ciphertext.toString("base64url"), tag.toString("base64url")].join(".");
  }

  decrypt(stored: string): string {
    const parts = stored.split(".");
    if (parts.length !== 5 || parts[0] !== VERSION) throw new TokenDecryptionError("unknown format");
    const [, keyId, ivText, ctText, tagText] = parts as [string, string, string, string, string];
    const k = this.byId.get(keyId);
    if (!k) throw new TokenDecryptionError(`unknown key id ${keyId}`);
    const iv = Buffer.from(ivText, "base64url");
    const ciphertext = Buffer.from(ctText, "base64url");
    // Only the canonical encoding is accepted, so every altered character is a rejected value.
    if (iv.toString("base64url") !== ivText || ciphertext.toString("base64url") !== ctText || Buffer.from(tagText, "base64url").toString("base64url") !== tagText)
      throw new TokenDecryptionError("non-canonical encoding");
    // Encrypt-then-MAC: verify the tag before touching the ciphertext.
    if (iv.length !== 16 || !constantTimeEqual(this.tag(k, iv, ciphertext), Buffer.from(tagText, "base64url"))) {
      throw new TokenDecryptionError("authentication tag mismatch");
    }
    const decipher = createDecipheriv("aes-256-cbc", k.encKey, iv);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString("utf8");
  }

  /** True when a stored value is encrypted under an older key (for `keys rotate`). */
  needsReencryption(stored: string): boolean {
    return stored.split(".")[1] !== this.current.id;
  }

  private tag(k: EncryptionKey, iv: Buffer, ciphertext: Buffer): Buffer {
    return createHmac("sha256", k.macKey).update(VERSION).update(k.id).update(iv).update(ciphertext).digest();
  }
}

/** Client secrets are high-entropy: a plain SHA-256 digest is the right storage (no slow hash). */
export function clientSecretDigest(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("base64url");
}
