/**
 * Session hardening: approving a link needs a session created within 24 h (else 403
 * reauthentication_required and the page asks for the password again); changing the password
 * ends every other session, whatever the client asks.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../support/databases.js";
import { approveLink, postJson, registerPartner } from "../support/link-helpers.js";
import { buildTestApp, signUp, TEST_ORIGIN, type TestApp } from "../support/test-app.js";

const cookieOf = (res: Response) =>
  res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");

describe.each(databaseKinds)("sessions (%s)", (kind) => {
  let tdb: TestDatabase;
  let t: TestApp;

  beforeAll(async () => {
    tdb = await createTestDatabase(kind);
    t = buildTestApp(tdb.database);
    await registerPartner(t);
  });
  afterAll(async () => {
    await tdb?.drop();
  });

  const signIn = async (email: string, password: string) => postJson(t, "/api/auth/sign-in/email", { email, password }, { origin: TEST_ORIGIN });
  const sessionUser = async (cookie: string) => ((await (await t.app.request("/api/auth/get-session", { headers: { cookie } })).json()) as { user: { email: string } } | null)?.user.email ?? null;
  /** Moves every session of a user `hours` into the past, as if signed in that long ago. */
  const age = (userId: string, hours: number) =>
    tdb.database.db.execute(sql`update session set created_at = created_at - make_interval(hours => ${hours}) where user_id = ${userId}`);

  it("asks a session older than 24 h to confirm the password before approving, then approves", async () => {
    const { cookie, userId } = await signUp(t.app, { email: "stale@example.com", password: "correct horse battery" });
    await approveLink(t, cookie, { clientId: "karabast", externalUserId: "kb-fresh" });
    await age(userId, 23);
    await approveLink(t, cookie, { clientId: "karabast", externalUserId: "kb-23h" });
    await age(userId, 2);
    const stale = await postJson(t, "/api/integration/link-create", { clientId: "karabast", externalUserId: "kb-stale", scopes: "decks" }, { cookie, origin: TEST_ORIGIN });
    expect(stale.status).toBe(403);
    expect(await stale.json()).toEqual({ error: "reauthentication_required", error_description: expect.stringContaining("confirm your password") });
    // The old session still works for everything else.
    expect((await t.app.request("/api/me/links", { headers: { cookie } })).status).toBe(200);
    // The password again: a new session, and the approval goes through.
    expect((await signIn("stale@example.com", "wrong password")).status).toBe(401);
    const again = await signIn("stale@example.com", "correct horse battery");
    expect(again.status).toBe(200);
    await approveLink(t, cookieOf(again), { clientId: "karabast", externalUserId: "kb-stale" });
  });

  it("ends every other session when the password changes, even when the client asks to keep them", async () => {
    const { cookie: first } = await signUp(t.app, { email: "change@example.com", password: "correct horse battery" });
    const second = cookieOf(await signIn("change@example.com", "correct horse battery"));
    expect(await sessionUser(second)).toBe("change@example.com");
    const changed = await postJson(
      t,
      "/api/auth/change-password",
      { currentPassword: "correct horse battery", newPassword: "another horse battery", revokeOtherSessions: false },
      { cookie: first, origin: TEST_ORIGIN },
    );
    expect(changed.status).toBe(200);
    expect(await sessionUser(second)).toBeNull();
    // The session that changed it continues, under the cookie it was given.
    expect(await sessionUser(cookieOf(changed))).toBe("change@example.com");
    expect((await signIn("change@example.com", "correct horse battery")).status).toBe(401);
    expect((await signIn("change@example.com", "another horse battery")).status).toBe(200);
  });

  it("refuses a wrong current password without ending any session", async () => {
    const { cookie: first } = await signUp(t.app, { email: "keep@example.com", password: "correct horse battery" });
    const second = cookieOf(await signIn("keep@example.com", "correct horse battery"));
    const refused = await postJson(t, "/api/auth/change-password", { currentPassword: "not my password", newPassword: "another horse battery" }, { cookie: first, origin: TEST_ORIGIN });
    expect(refused.status).toBe(400);
    expect(await sessionUser(second)).toBe("keep@example.com");
  });
});
