import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../support/databases.js";
import { approveLink, confirm, postJson, refresh, registerPartner, type TokenBody } from "../support/link-helpers.js";
import { buildTestApp, fakeClock, signUp, TEST_ORIGIN, type TestApp } from "../support/test-app.js";

describe.each(databaseKinds)("audit log of link events (%s)", (kind) => {
  let tdb: TestDatabase;
  let t: TestApp;
  let cookie: string;
  let partner: { clientId: string; secret: string };
  const clock = fakeClock();

  beforeAll(async () => {
    tdb = await createTestDatabase(kind);
    t = buildTestApp(tdb.database, { clock });
    partner = await registerPartner(t);
    ({ cookie } = await signUp(t.app, { email: "audited@example.com" }));
  });
  afterAll(async () => {
    await tdb?.drop();
  });

  const events = async (c = cookie) =>
    ((await (await t.app.request("/api/me/events", { headers: { cookie: c } })).json()) as { events: { event: string; detail: string | null; clientName: string | null; userAgent: string | null }[] }).events;

  it("records every step of a link's life for its user, newest first, without tokens", async () => {
    await t.app.request(`/api/integration/authorize?client_id=karabast&karabast_user_id=kb-a&scope=decks`, { headers: { cookie, "user-agent": "Browser/1.0" } });
    const { linkToken } = await approveLink(t, cookie, { clientId: partner.clientId, externalUserId: "kb-a" });
    clock.advance(1);
    const first = (await (await confirm(t, partner, linkToken, "kb-a")).json()) as TokenBody;
    clock.advance(1);
    await refresh(t, partner, first.refresh_token, "kb-a");
    clock.advance(200);
    await refresh(t, partner, first.refresh_token, "kb-a"); // replay after the grace window
    const list = await events();
    expect(list.map((e) => e.event)).toEqual(["refresh_reuse_detected", "token_refreshed", "link_confirmed", "link_approved", "link_requested"]);
    expect(list.at(-1)!.userAgent).toBe("Browser/1.0");
    expect(list[0]!.clientName).toBe("Karabast");
    expect(JSON.stringify(list)).not.toContain(first.refresh_token);
    expect(JSON.stringify(list)).not.toContain(linkToken);
  });

  it("records denials, unlinks by user and by partner, rejected tokens and failed client authentication", async () => {
    const { cookie: other } = await signUp(t.app, { email: "audited2@example.com" });
    const step = () => clock.advance(1); // events are listed by time
    await postJson(t, "/api/integration/link-deny", { clientId: "karabast" }, { cookie: other, origin: TEST_ORIGIN });
    step();
    const { linkToken } = await approveLink(t, other, { clientId: partner.clientId, externalUserId: "kb-b" });
    step();
    await confirm(t, partner, linkToken, "kb-b");
    step();
    await postJson(t, "/api/integration/unlink", { client_id: "karabast", client_secret: partner.secret, external_user_id: "kb-b" });
    step();
    const { linkToken: second } = await approveLink(t, other, { clientId: partner.clientId, externalUserId: "kb-b" });
    step();
    await confirm(t, partner, second, "kb-b");
    step();
    const { links } = (await (await t.app.request("/api/me/links", { headers: { cookie: other } })).json()) as { links: { id: string; status: string }[] };
    const active = links.find((l) => l.status === "active")!;
    await t.app.request(`/api/me/links/${active.id}`, { method: "DELETE", headers: { cookie: other, origin: TEST_ORIGIN } });
    step();
    expect((await events(other)).map((e) => e.event)).toEqual([
      "unlinked_by_user",
      "link_confirmed",
      "link_approved",
      "unlinked_by_partner",
      "link_confirmed",
      "link_approved",
      "link_denied",
    ]);

    await confirm(t, partner, "swbl_nope", "kb-x");
    step();
    await postJson(t, "/api/integration/link-confirm", { client_id: "karabast", client_secret: "wrong", link_token: "x", external_user_id: "y" });
    const tail = await t.deps.services.audit.tail(5);
    expect(tail[0]).toMatchObject({ event: "client_auth_failed", clientId: "karabast" });
    expect(tail[1]).toMatchObject({ event: "token_rejected", clientId: "karabast", externalUserId: "kb-x" });
    expect(JSON.stringify(tail)).not.toContain("wrong");
  });

  it("shows a user only their own events", async () => {
    const { cookie: stranger } = await signUp(t.app, { email: "stranger@example.com" });
    expect(await events(stranger)).toEqual([]);
    expect((await t.app.request("/api/me/events")).status).toBe(401);
  });
});
