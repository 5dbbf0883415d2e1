/**
 * Body limits on every route, better-auth's included (src/server/middleware/body-limit.ts,
 * auth-body.ts), over real HTTP: a declared Content-Length over the limit is answered 413 before
 * the body is read; a chunked body is cut at the limit; a flood of large bodies leaves the server
 * answering, without buffering them.
 */
import type { Server } from "node:http";
import { connect, type AddressInfo } from "node:net";
import { serve, type ServerType } from "@hono/node-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LINK_BODY_LIMIT } from "../../src/server/middleware/read-body.js";
import { GAME_RESULT_BODY_LIMIT } from "../../src/server/routes/integration/game-result.js";
import { createTestDatabase, type TestDatabase } from "../support/databases.js";
import { registerPartner } from "../support/link-helpers.js";
import { buildTestApp, signUp, TEST_ORIGIN, type TestApp } from "../support/test-app.js";

const MB = 1024 * 1024;

/** `total` bytes of a JSON string body, produced 64 kB at a time (never held whole). */
function chunkedJson(total: number): ReadableStream<Uint8Array> {
  const filler = new Uint8Array(64 * 1024).fill(0x61); // "a"
  const head = new TextEncoder().encode('{"email":"');
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent === 0) {
        controller.enqueue(head);
        sent = head.length;
      } else if (sent >= total) controller.close();
      else {
        const n = Math.min(filler.length, total - sent);
        controller.enqueue(filler.subarray(0, n));
        sent += n;
      }
    },
  });
}

describe("body limits before anything reads (every route, better-auth's included)", () => {
  let tdb: TestDatabase;
  let t: TestApp;
  let server: ServerType;
  let port: number;
  let base: string;

  beforeAll(async () => {
    tdb = await createTestDatabase("pglite");
    t = buildTestApp(tdb.database);
    await registerPartner(t);
    await signUp(t.app, { email: "flood@example.com", password: "correct horse battery" });
    server = serve({ fetch: t.app.fetch, port: 0, hostname: "127.0.0.1" });
    await new Promise<void>((resolve) => server.once("listening", resolve));
    port = (server.address() as AddressInfo).port;
    base = `http://127.0.0.1:${port}`;
  });
  afterAll(async () => {
    (server as Server | undefined)?.closeAllConnections();
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    await tdb?.drop();
  });

  /** Sends only the head of a request declaring `length` bytes and returns the status line and body of the answer. */
  async function declareOnly(path: string, length: number): Promise<{ status: number; body: string }> {
    const socket = connect(port, "127.0.0.1");
    await new Promise<void>((resolve) => socket.once("connect", resolve));
    socket.write(`POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nOrigin: ${TEST_ORIGIN}\r\nContent-Length: ${length}\r\n\r\n{"email":"`);
    let answer = "";
    socket.on("data", (d: Buffer) => (answer += d.toString()));
    await expect.poll(() => answer.includes("\r\n\r\n") && answer.includes("}"), { timeout: 5000 }).toBe(true);
    socket.destroy();
    return { status: Number(/^HTTP\/1\.1 (\d+)/.exec(answer)?.[1]), body: answer.slice(answer.indexOf("\r\n\r\n") + 4) };
  }

  it("answers a declared 50 MB body to /api/auth/sign-in/email 413 JSON without waiting for it", async () => {
    const res = await declareOnly("/api/auth/sign-in/email", 50 * MB);
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body)).toEqual({ error: "payload_too_large", error_description: "The request body is larger than 64 kB" });
  });

  it("cuts a chunked body to better-auth at 64 kB with 413", async () => {
    const res = await fetch(`${base}/api/auth/sign-in/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: TEST_ORIGIN },
      body: chunkedJson(MB),
      duplex: "half",
    } as RequestInit);
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: "payload_too_large" });
  });

  it("applies 64 kB to every other route (even one that reads no body) and 256 kB to game-result", async () => {
    for (const path of ["/api/health", "/api/auth/sign-up/email", "/api/integration/link-create", "/oauth/token", "/api/nowhere", "/"]) {
      expect((await declareOnly(path, LINK_BODY_LIMIT + 1)).status, path).toBe(413);
    }
    expect((await declareOnly("/api/integration/karabast/game-result", GAME_RESULT_BODY_LIMIT + 1)).status).toBe(413);
    const post = (path: string, bytes: number) =>
      fetch(`${base}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: `{"pad":"${"x".repeat(bytes - 10)}"}` });
    // Within its own limit game-result reads the body (and then wants client credentials).
    const game = await post("/api/integration/karabast/game-result", 200 * 1024);
    expect(game.status).toBe(401);
    expect((await post("/api/integration/refresh-token", 200 * 1024)).status).toBe(413);
  });

  it("still signs in with a normal body", async () => {
    const res = await fetch(`${base}/api/auth/sign-in/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: TEST_ORIGIN },
      body: JSON.stringify({ email: "flood@example.com", password: "correct horse battery" }),
    });
    expect(res.status).toBe(200);
  });

  it("survives twenty concurrent 10 MB bodies (declared and chunked) without buffering them, then answers health and a sign-in", async () => {
    const big = Buffer.alloc(10 * MB, 0x61); // shared by the ten declared bodies; outside the JS heap
    const heapBefore = process.memoryUsage().heapUsed;
    let heapPeak = heapBefore;
    const sampler = setInterval(() => (heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed)), 5);
    const send = (body: Buffer | ReadableStream<Uint8Array>) =>
      fetch(`${base}/api/auth/sign-in/email`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: TEST_ORIGIN },
        body,
        signal: AbortSignal.timeout(10_000),
        ...(body instanceof Buffer ? {} : { duplex: "half" }),
      } as RequestInit).then(
        (res) => res.status,
        () => "closed" as const, // the server may close the connection while the client still sends
      );
    const outcomes = await Promise.all([...Array.from({ length: 10 }, () => send(big)), ...Array.from({ length: 10 }, () => send(chunkedJson(10 * MB)))]);
    clearInterval(sampler);
    for (const outcome of outcomes) expect([413, "closed"]).toContain(outcome);
    expect(outcomes.filter((o) => o === 413).length).toBeGreaterThan(0);
    // Twenty bodies read into strings would add ≥ 200 MB to the heap (several times that when cloned and parsed).
    expect(heapPeak - heapBefore).toBeLessThan(64 * MB);

    expect((await fetch(`${base}/api/health`)).status).toBe(200);
    const signIn = await fetch(`${base}/api/auth/sign-in/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: TEST_ORIGIN },
      body: JSON.stringify({ email: "flood@example.com", password: "correct horse battery" }),
    });
    expect(signIn.status).toBe(200);
  });
});
