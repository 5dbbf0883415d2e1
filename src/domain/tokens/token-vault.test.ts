import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { constantTimeEqual, generateToken, TokenDecryptionError, TokenVault } from "./token-vault.js";

const key = (n: number) => Buffer.alloc(32, n);
const vault = new TokenVault({ encryptionKey: key(1), hashKey: key(2) });

describe("TokenVault", () => {
  it("generates prefixed 256-bit tokens", () => {
    const t = generateToken("refresh");
    expect(t).toMatch(/^swbr_[A-Za-z0-9_-]{43}$/);
    expect(generateToken("link")).toMatch(/^swbl_/);
    expect(generateToken("access")).toMatch(/^swba_/);
    expect(generateToken("access")).not.toBe(generateToken("access"));
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
    const stored = vault.encrypt(generateToken("access"));
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
