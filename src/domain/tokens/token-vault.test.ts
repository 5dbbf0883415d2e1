import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { constantTimeEqual, generateToken, isLocatorlessToken, newTokenLocator, TokenDecryptionError, tokenLocator, TokenVault } from "./token-vault.js";

const key = (n: number) => Buffer.alloc(32, n);
const vault = new TokenVault({ encryptionKey: key(1), hashKey: key(2) });

describe("TokenVault", () => {
  it("generates prefixed 256-bit tokens; access and refresh tokens carry their link's locator first", () => {
    const locator = newTokenLocator();
    expect(locator).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(newTokenLocator()).not.toBe(locator);
    const t = generateToken("refresh", locator);
    expect(t).toMatch(new RegExp(`^swbr_${locator}[A-Za-z0-9_-]{43}$`));
    expect(generateToken("link")).toMatch(/^swbl_[A-Za-z0-9_-]{43}$/);
    expect(generateToken("access", locator)).toMatch(/^swba_/);
    expect(generateToken("access", locator)).not.toBe(generateToken("access", locator));
    expect(tokenLocator("refresh", t)).toBe(locator);
    expect(tokenLocator("access", generateToken("access", locator))).toBe(locator);
  });

  it("refuses to make an access or refresh token without a well-formed locator, or a link token with one", () => {
    for (const bad of ["", "short", "x".repeat(17), "a+b/c=d+e/f=g+hh"]) {
      expect(() => generateToken("access", bad)).toThrow();
      expect(() => generateToken("refresh", bad)).toThrow();
    }
    expect(() => (generateToken as (kind: string, locator: string) => string)("link", newTokenLocator())).toThrow();
  });

  it("finds a locator only in a well-formed token of the kind asked for", () => {
    const locator = newTokenLocator();
    const access = generateToken("access", locator);
    expect(tokenLocator("refresh", access)).toBeNull();
    expect(tokenLocator("access", access.slice(0, -1))).toBeNull();
    expect(tokenLocator("access", access + "A")).toBeNull();
    expect(tokenLocator("access", access.slice(0, 30) + "." + access.slice(31))).toBeNull();
    expect(tokenLocator("access", generateToken("link"))).toBeNull();
    // A token from before locators is recognised as such, and has none.
    const old = "swba_" + "A".repeat(43);
    expect(tokenLocator("access", old)).toBeNull();
    expect(isLocatorlessToken("access", old)).toBe(true);
    expect(isLocatorlessToken("refresh", old)).toBe(false);
    expect(isLocatorlessToken("access", access)).toBe(false);
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (s) => {
        const found = tokenLocator("access", s);
        if (found !== null) expect(s.startsWith(`swba_${found}`) && s.length === 64).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it("round-trips any string, with a fresh IV each time", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 200 }), (s) => {
        const a = vault.encrypt(s);
        expect(vault.decrypt(a)).toBe(s);
        expect(vault.encrypt(s)).not.toBe(a);
      }),
      { numRuns: 200 },
    );
  });

  it("rejects any single-character tampering of the stored value", () => {
    const stored = vault.encrypt(generateToken("access", newTokenLocator()));
    fc.assert(
      fc.property(fc.integer({ min: 0, max: stored.length - 1 }), fc.constantFrom(..."ABCxyz012_-."), (i, ch) => {
        const tampered = stored.slice(0, i) + ch + stored.slice(i + 1);
        fc.pre(tampered !== stored);
        expect(() => vault.decrypt(tampered)).toThrow(TokenDecryptionError);
      }),
      { numRuns: 300 },
    );
  });

  it("decrypts values under a previous key only when that key is configured", () => {
    const old = new TokenVault({ encryptionKey: key(3), hashKey: key(2) });
    const stored = old.encrypt("hello");
    expect(() => vault.decrypt(stored)).toThrow(/unknown key id/);
    const rotated = new TokenVault({ encryptionKey: key(1), previousEncryptionKeys: [key(3)], hashKey: key(2) });
    expect(rotated.decrypt(stored)).toBe("hello");
    expect(rotated.needsReencryption(stored)).toBe(true);
    expect(rotated.needsReencryption(rotated.encrypt("x"))).toBe(false);
  });

  it("digests deterministically under the hash key", () => {
    expect(vault.digest("a").equals(vault.digest("a"))).toBe(true);
    expect(vault.digest("a").equals(new TokenVault({ encryptionKey: key(1), hashKey: key(9) }).digest("a"))).toBe(false);
  });

  it("compares in constant time, including different lengths", () => {
    expect(constantTimeEqual("abc", "abc")).toBe(true);
    expect(constantTimeEqual("abc", "abd")).toBe(false);
    expect(constantTimeEqual("abc", "abcd")).toBe(false);
  });
});
