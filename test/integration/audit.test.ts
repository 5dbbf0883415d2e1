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

  it("tells the owner of a replaced link, in words, when another Swubase account linked their Karabast id (RFC 9700 §4.5)", async () => {
    const { cookie: victim } = await signUp(t.app, { email: "victim@example.com" });
    const { linkToken } = await approveLink(t, victim, { clientId: partner.clientId, externalUserId: "kb-victim" });
    expect((await confirm(t, partner, linkToken, "kb-victim")).status).toBe(200);
    // An attacker approves Karabast's flow on his own account with the victim's public Karabast id, and the callback is confirmed.
    const { cookie: attacker } = await signUp(t.app, { email: "attacker@example.com" });
    clock.advance(1);
    const injected = await approveLink(t, attacker, { clientId: partner.clientId, externalUserId: "kb-victim" });
    expect((await confirm(t, partner, injected.linkToken, "kb-victim")).status).toBe(200);
    const [newest] = await events(victim);
    expect(newest).toMatchObject({ event: "link_replaced", clientName: "Karabast" });
    expect(newest!.detail).toMatch(/another Swubase account linked this partner account/);
    // The attacker's own activity does not name the victim's replacement.
    expect((await events(attacker)).map((e) => e.event)).not.toContain("link_replaced");

    // Relinking one's own account with another Karabast id says so plainly.
    clock.advance(1);
    const relink = await approveLink(t, attacker, { clientId: partner.clientId, externalUserId: "kb-attacker" });
    expect((await confirm(t, partner, relink.linkToken, "kb-attacker")).status).toBe(200);
    expect((await events(attacker))[0]).toMatchObject({ event: "link_replaced", detail: "replaced by your newer link" });
  });

  it("shows a user only their own events", async () => {
    const { cookie: stranger } = await signUp(t.app, { email: "stranger@example.com" });
    expect(await events(stranger)).toEqual([]);
    expect((await t.app.request("/api/me/events")).status).toBe(401);
  });
});
