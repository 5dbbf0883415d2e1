import { describe, expect, it } from "vitest";
import { OAuthError } from "../domain/errors.js";
import { admissionCapacity, createPasswordHashing, PASSWORD_BUSY_MESSAGE, runPasswordWork } from "./password-hashing.js";

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

describe("admission at the door (issue 13, item 6)", () => {
  it("admits the hashing slots plus what the queue can serve within its wait limit at the assumed 100 ms, then refuses", () => {
    expect(admissionCapacity(2, 2000, 0)).toBe(2 * (20 + 1));
    expect(admissionCapacity(1, 250, 0)).toBe(1 * (2 + 1));
    // A wait limit shorter than one hash still lets the slots and one round in.
    expect(admissionCapacity(3, 0, 0)).toBe(3 * 2);
    const hashing = createPasswordHashing({ concurrency: 1, maxWaitMs: 250, scrypt: slowScrypt(1) });
    const releases = [hashing.admit(), hashing.admit(), hashing.admit()];
    expect(releases.every((r) => typeof r === "function")).toBe(true);
    expect(hashing.admit()).toBeUndefined();
    // A release frees one place, once: calling it twice does not free a second.
    releases[0]!();
    releases[0]!();
    expect(hashing.admit()).toBeTypeOf("function");
    expect(hashing.admit()).toBeUndefined();
  });

  it("sizes itself by the measured hash time: slow hashes admit fewer", async () => {
    const hashing = createPasswordHashing({ concurrency: 1, maxWaitMs: 1000, scrypt: slowScrypt(300) });
    await hashing.hash("a-password");
    // ~300 ms a hash: 1000 ms of waiting serves 3 rounds (2 if the timer ran late) besides the slot.
    const admitted: (() => void)[] = [];
    for (let release = hashing.admit(); release; release = hashing.admit()) admitted.push(release);
    expect(admitted.length).toBeGreaterThanOrEqual(3);
    expect(admitted.length).toBeLessThanOrEqual(4);
  });

  it("the refusal is the queue's own 503: Retry-After and a true message", () => {
    const err = createPasswordHashing({ concurrency: 1, maxWaitMs: 2000, scrypt: slowScrypt(1) }).busyError();
    expect(err).toBeInstanceOf(OAuthError);
    expect(err.status).toBe(503);
    expect(err.toJSON()).toEqual({ error: "temporarily_unavailable", error_description: PASSWORD_BUSY_MESSAGE });
    expect(err.headers).toEqual({ "Retry-After": "4" });
  });
});
