import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { createPasswordHashing } from "../../auth/password-hashing.js";
import type { AppEnv } from "../app-env.js";
import { renderError } from "../render-error.js";
import { admitPasswordWork } from "./password-admission.js";

/** The door in front of a stand-in for better-auth that counts who got through and holds them until released. */
function doorApp(capacity: { concurrency: number; maxWaitMs: number }) {
  const hashing = createPasswordHashing({ ...capacity, scrypt: { hash: async (p) => p, verify: async () => false } });
  const reached: string[] = [];
  let open = () => {};
  const gate = new Promise<void>((resolve) => (open = resolve));
  const app = new Hono<AppEnv>();
  app.use("/api/auth/*", admitPasswordWork(hashing));
  app.all("/api/auth/*", async (c) => {
    reached.push(`${c.req.method} ${c.req.path}`);
    await gate;
    return c.json({ ok: true });
  });
  app.onError(renderError);
  return { app, reached, open };
}

const post = (app: Hono<AppEnv>, path: string) => app.request(path, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });

describe("admitPasswordWork", () => {
  it("refuses a password request beyond the capacity at once, before better-auth sees it, and admits again once one has answered", async () => {
    // concurrency 1, 250 ms of waiting at an assumed 100 ms a hash: 3 inside at once.
    const { app, reached, open } = doorApp({ concurrency: 1, maxWaitMs: 250 });
    const inside = [post(app, "/api/auth/sign-in/email"), post(app, "/api/auth/sign-up/email"), post(app, "/api/auth/change-password")];
    const refused = await Promise.all([post(app, "/api/auth/sign-in/email"), post(app, "/api/auth/sign-up/email/")]);
    for (const res of refused) {
      expect(res.status).toBe(503);
      expect(res.headers.get("retry-after")).toBe("1");
      expect(((await res.json()) as { error: string }).error).toBe("temporarily_unavailable");
    }
    expect(reached).toHaveLength(3);
    open();
    for (const res of await Promise.all(inside)) expect(res.status).toBe(200);
    expect((await post(app, "/api/auth/sign-in/email")).status).toBe(200);
  });

  it("never holds back requests that hash nothing (sessions, sign-out, GET)", async () => {
    const { app, reached, open } = doorApp({ concurrency: 1, maxWaitMs: 0 });
    const held = [post(app, "/api/auth/sign-in/email"), post(app, "/api/auth/sign-in/email")];
    expect((await post(app, "/api/auth/sign-in/email")).status).toBe(503);
    open();
    expect((await app.request("/api/auth/get-session")).status).toBe(200);
    expect((await post(app, "/api/auth/sign-out")).status).toBe(200);
    await Promise.all(held);
    expect(reached).toContain("GET /api/auth/get-session");
  });
});
