/**
 * Request bodies over real HTTP (src/server/middleware/read-body.ts): with a Content-Length (the
 * fast path, read straight from the socket) and chunked (counted as it arrives), each within its
 * limit and over it. `app.request()` in the other suites sends neither header, so only a real
 * server exercises the Content-Length path.
 */
import { connect, type AddressInfo } from "node:net";
import { serve, type ServerType } from "@hono/node-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LINK_BODY_LIMIT } from "../../src/server/middleware/read-body.js";
import { createTestDatabase, type TestDatabase } from "../support/databases.js";
import { basic, registerPartner } from "../support/link-helpers.js";
import { buildTestApp, type TestApp } from "../support/test-app.js";

function chunked(text: string, pieces = 4): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  const size = Math.ceil(bytes.length / pieces);
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.subarray(offset, offset + size));
      offset += size;
    },
  });
}

describe("request bodies over HTTP: Content-Length and chunked", () => {
  let tdb: TestDatabase;
  let t: TestApp;
  let server: ServerType;
  let base: string;
  let partner: { clientId: string; secret: string };

  beforeAll(async () => {
    tdb = await createTestDatabase("pglite");
    t = buildTestApp(tdb.database);
    partner = await registerPartner(t);
    server = serve({ fetch: t.app.fetch, port: 0, hostname: "127.0.0.1" });
    await new Promise<void>((resolve) => server.once("listening", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    await tdb?.drop();
  });

  const form = (extra: Record<string, string> = {}) =>
    new URLSearchParams({
      grant_type: "refresh_token",
      refresh_token: "rt_not-a-token",
      ...extra,
    }).toString();

  async function post(
    body: string | ReadableStream<Uint8Array>,
    contentType: string,
  ) {
    const res = await fetch(`${base}/oauth/token`, {
      method: "POST",
      headers: {
        "content-type": contentType,
        authorization: basic(partner.clientId, partner.secret),
      },
      body,
      ...(typeof body === "string" ? {} : { duplex: "half" }),
    } as RequestInit);
    return {
      status: res.status,
      body: (await res.json()) as { error: string; error_description?: string },
    };
  }

  it("reads a form body sent with Content-Length (parsed, client authenticated, grant checked)", async () => {
    const res = await post(form(), "application/x-www-form-urlencoded");
    expect(res).toMatchObject({
      status: 400,
      body: { error: "invalid_grant" },
    });
  });

  it("reads the same body sent chunked, and a JSON body either way", async () => {
    expect(
      await post(chunked(form()), "application/x-www-form-urlencoded"),
    ).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
    const json = JSON.stringify({
      grant_type: "refresh_token",
      refresh_token: "rt_not-a-token",
    });
    expect(await post(json, "application/json")).toMatchObject({
      status: 400,
      body: { error: "invalid_grant" },
    });
    expect(await post(chunked(json), "application/json")).toMatchObject({
      status: 400,
      body: { error: "invalid_grant" },
    });
  });

  it("refuses a body over the limit with 413, whether its length is declared or not", async () => {
    const big = form({ pad: "x".repeat(LINK_BODY_LIMIT) });
    expect(await post(big, "application/x-www-form-urlencoded")).toMatchObject({
      status: 413,
      body: { error: "payload_too_large" },
    });
    expect(
      await post(chunked(big, 16), "application/x-www-form-urlencoded"),
    ).toMatchObject({ status: 413, body: { error: "payload_too_large" } });
    // Exactly at the limit is accepted (the padding field is ignored).
    const exact = form({ pad: "" });
    const atLimit = exact + "x".repeat(LINK_BODY_LIMIT - exact.length);
    expect(atLimit.length).toBe(LINK_BODY_LIMIT);
    expect(
      (await post(atLimit, "application/x-www-form-urlencoded")).status,
    ).toBe(400);
  });

  it("keeps refusing other content types with 415 and broken JSON with 400", async () => {
    expect(await post("x", "text/plain")).toMatchObject({
      status: 415,
      body: { error: "unsupported_media_type" },
    });
    expect(await post("{nope", "application/json")).toMatchObject({
      status: 400,
      body: { error: "invalid_request" },
    });
    expect(await post(chunked("{nope"), "application/json")).toMatchObject({
      status: 400,
      body: { error: "invalid_request" },
    });
  });

  it("logs a body cut short by the client as a 4xx, not a server error", async () => {
    const before = t.logs.length;
    const socket = connect((server.address() as AddressInfo).port, "127.0.0.1");
    await new Promise<void>((resolve) => socket.once("connect", resolve));
    socket.write(
      "POST /oauth/token HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\ngrant_type=ref",
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    socket.destroy();
    const logged = () =>
      t.logs
        .slice(before)
        .filter((line) => line.includes('"path":"/oauth/token"'))
        .map((line) => (JSON.parse(line) as { status: number }).status);
    await expect.poll(logged).toEqual([400]);
  });

  it("still answers after all that (no connection or body left half-read)", async () => {
    expect(
      await post(form(), "application/x-www-form-urlencoded"),
    ).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
  });
});
