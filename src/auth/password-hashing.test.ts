import { describe, expect, it } from "vitest";
import { OAuthError } from "../domain/errors.js";
import { createPasswordHashing, PASSWORD_BUSY_MESSAGE, runPasswordWork } from "./password-hashing.js";

/** A scrypt stand-in that takes `ms` and counts its calls. */
function slowScrypt(ms: number) {
  const calls = { hash: 0, verify: 0 };
  const wait = () => new Promise((resolve) => setTimeout(resolve, ms));
  return {
    calls,
    hash: async (password: string) => {
      calls.hash++;
      await wait();
      return `hashed:${password}`;
    },
    verify: async ({ hash, password }: { hash: string; password: string }) => {
      calls.verify++;
      await wait();
      return hash === `hashed:${password}`;
    },
  };
}

/** better-auth's handling as runPasswordWork sees it: it turns any error into a response of its own. */
const asBetterAuth = (work: () => Promise<unknown>) => () =>
  work().then(
    () => new Response("ok"),
    () => new Response("better-auth's own error answer", { status: 500 }),
  );

describe("password hashing queue", () => {
  it("hashes and verifies through the queue", async () => {
    const scrypt = slowScrypt(1);
    const hashing = createPasswordHashing({ concurrency: 2, maxWaitMs: 1000, scrypt });
    const hash = await hashing.hash("secret-password");
    expect(await hashing.verify({ hash, password: "secret-password" })).toBe(true);
    expect(scrypt.calls).toEqual({ hash: 1, verify: 1 });
  });

  it("a request refused for want of a turn answers 503 with Retry-After and a true message, whatever better-auth made of it", async () => {
    const scrypt = slowScrypt(200);
    const hashing = createPasswordHashing({ concurrency: 1, maxWaitMs: 50, scrypt });
    const signal = new AbortController().signal;
    const first = runPasswordWork(signal, asBetterAuth(() => hashing.hash("first-password")));
    const second = runPasswordWork(signal, asBetterAuth(() => hashing.hash("second-password"))).catch((e: unknown) => e);
    expect((await first).status).toBe(200);
    const refusal = await second;
    expect(refusal).toBeInstanceOf(OAuthError);
    expect(refusal).toMatchObject({ error: "temporarily_unavailable", description: PASSWORD_BUSY_MESSAGE, status: 503 });
    expect(Number((refusal as OAuthError).headers["Retry-After"])).toBeGreaterThan(0);
    expect(scrypt.calls.hash).toBe(1);
  });

  it("a request abandoned while it waits (client gone, or already answered 503) never hashes", async () => {
    const scrypt = slowScrypt(100);
    const hashing = createPasswordHashing({ concurrency: 1, maxWaitMs: 5000, scrypt });
    const first = runPasswordWork(new AbortController().signal, asBetterAuth(() => hashing.hash("first-password")));
    const abandoned = new AbortController();
    const second = runPasswordWork(abandoned.signal, asBetterAuth(() => hashing.verify({ hash: "x", password: "second-password" })));
    setTimeout(() => abandoned.abort(), 20);
    await expect(second).rejects.toMatchObject({ status: 503 });
    await first;
    expect(scrypt.calls).toEqual({ hash: 1, verify: 0 });
    // Already aborted: not even queued.
    await expect(runPasswordWork(abandoned.signal, asBetterAuth(() => hashing.hash("third-password")))).rejects.toMatchObject({ status: 503 });
    expect(scrypt.calls.hash).toBe(1);
  });
});
