import { getPriority } from "node:os";
import { hashPassword, verifyPassword } from "better-auth/crypto";
import { describe, expect, it } from "vitest";
import { HASHING_NICE, hashingThreadNice, hashPasswordOffThread, verifyPasswordOffThread } from "./scrypt-workers.js";

describe("password hashing on low-priority threads", () => {
  it("makes hashes better-auth verifies, and verifies better-auth's (existing passwords keep working)", async () => {
    const ours = await hashPasswordOffThread("correct horse battery");
    expect(ours).toMatch(/^[0-9a-f]{32}:[0-9a-f]{128}$/);
    expect(await verifyPassword({ hash: ours, password: "correct horse battery" })).toBe(true);
    expect(await verifyPassword({ hash: ours, password: "correct horse batterY" })).toBe(false);

    const theirs = await hashPassword("Ångström pässwörd");
    expect(await verifyPasswordOffThread({ hash: theirs, password: "Ångström pässwörd" })).toBe(true);
    // NFKC: the decomposed spelling of the same password is the same password, as in better-auth.
    expect(await verifyPasswordOffThread({ hash: theirs, password: "Ångström pässwörd".normalize("NFD") })).toBe(true);
    expect(await verifyPasswordOffThread({ hash: theirs, password: "Angstrom passwort" })).toBe(false);
  }, 30_000);

  it("refuses a malformed stored hash as better-auth does, and stays usable", async () => {
    await expect(verifyPasswordOffThread({ hash: "no-colon-here", password: "x" })).rejects.toThrow(/Invalid password hash/);
    await expect(verifyPassword({ hash: "no-colon-here", password: "x" })).rejects.toThrow(/Invalid password hash/);
    const good = await hashPasswordOffThread("still works");
    expect(await verifyPasswordOffThread({ hash: good, password: "still works" })).toBe(true);
    expect(await verifyPasswordOffThread({ hash: `${good}0`, password: "still works" })).toBe(false);
  }, 30_000);

  it("runs hashes side by side on threads of lower priority (Linux)", async () => {
    const hashes = await Promise.all(Array.from({ length: 3 }, (_, i) => hashPasswordOffThread(`parallel-${i}`)));
    expect(new Set(hashes).size).toBe(3);
    const nice = await hashingThreadNice();
    if (process.platform === "linux") expect(nice).toBe(Math.min(19, getPriority() + HASHING_NICE));
    else expect(nice).toBeNull();
  }, 30_000);
});

describe("a script that awaits a hash", () => {
  it("is kept alive until the hash is done, and may then exit while the thread idles", async () => {
    const { execFile } = await import("node:child_process");
    const { promisify } = await import("node:util");
    const script = `
      import { hashPasswordOffThread } from "./src/auth/scrypt-workers.ts";
      const hash = await hashPasswordOffThread("kept alive");
      console.log(hash.length);
    `;
    const started = Date.now();
    const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { cwd: process.cwd(), timeout: 20_000 });
    expect(stdout.trim()).toBe("161"); // 32 hex + ":" + 128 hex
    expect(Date.now() - started).toBeLessThan(15_000); // not held for the 30 s idle time
  }, 30_000);
});
