/**
 * The player's browser loads Karabast's callback twice (reload, back button): the same link token
 * is confirmed again by the same client for the same Karabast user seconds later. Within
 * LINK_CONFIRM_RETRY_SECONDS that answers the link's current pair; any other reuse is refused
 * with the same `invalid_grant` as today, and a reuse by the same client after the window revokes
 * the link (RFC 6749 §4.1.2). The OAuth code grant stays strict (test/integration/oauth.test.ts).
 */
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { LINK_CONFIRM_RETRY_SECONDS } from "../../src/domain/tokens/link-token-reuse.js";
import { databaseKinds } from "../support/databases.js";
import { openTransaction, stillWaiting } from "../support/open-transaction.js";
import { approveLink, confirm, postJson, refresh, registerPartner, type TokenBody } from "../support/link-helpers.js";
import { partnerSuite } from "../support/partner-suite.js";
import { signUp } from "../support/test-app.js";

const EXAMPLE = JSON.parse(readFileSync(new URL("../fixtures/karabast-game-result.example.json", import.meta.url), "utf8")) as {
  gameId: string;
  players: { data: { id: string; accessToken: string | null } }[];
};

/** Today's answer to any unusable link token (one message for all). */
const REFUSED = { error: "invalid_grant", error_description: "The link token is invalid, expired, already used, or was issued to another client or user" };

describe.each(databaseKinds)("link-confirm retried: the callback loaded twice (%s)", (kind) => {
  const suite = partnerSuite(kind);
  let otherPartner: { clientId: string; secret: string };
  let n = 0;

  beforeAll(async () => {
    otherPartner = await registerPartner(suite.t, { clientId: "other-partner" });
  });

  /** A new Swubase user who approved a link for a new Karabast account: the link token, not yet confirmed. */
  async function approved() {
    const externalUserId = `kb-retry-${++n}`;
    const { cookie } = await signUp(suite.t.app, { email: `retry${n}@example.com` });
    const { linkToken } = await approveLink(suite.t, cookie, { clientId: suite.partner.clientId, externalUserId });
    return { externalUserId, linkToken, cookie };
  }

  async function confirmed(res: Response): Promise<TokenBody> {
    expect(res.status, await res.clone().text()).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    return (await res.json()) as TokenBody;
  }

  async function expectRefused(res: Response) {
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual(REFUSED);
  }

  /** Whether a game reported with this access token for this Karabast player is attributed to its Swubase user. */
  async function attributes(accessToken: string, externalUserId: string): Promise<boolean> {
    const data = structuredClone(EXAMPLE);
    data.gameId = `retry-game-${++n}`;
    data.players[0]!.data.id = externalUserId;
    data.players[0]!.data.accessToken = accessToken;
    data.players[1]!.data.accessToken = null;
    const { clientId, secret } = suite.partner;
    const res = await postJson(suite.t, "/api/integration/karabast/game-result", { integration: "karabast", client_id: clientId, client_secret: secret, data });
    expect(res.status, await res.clone().text()).toBe(200);
    return ((await res.json()) as { players: { attributed: boolean }[] }).players[0]!.attributed;
  }

  it("confirmed twice within seconds: both 200 with the same pair, and the pair works", async () => {
    const { externalUserId, linkToken } = await approved();
    const first = await confirmed(await confirm(suite.t, suite.partner, linkToken, externalUserId));
    suite.clock.advance(5);
    const second = await confirmed(await confirm(suite.t, suite.partner, linkToken, externalUserId));
    expect(second).toEqual({ ...first, expires_in: first.expires_in - 5, refresh_token_expires_in: first.refresh_token_expires_in - 5 });
    expect(second.access_token).toBe(first.access_token);
    expect(second.refresh_token).toBe(first.refresh_token);
    expect(second.scope).toBe("decks email profile teams");

    expect(await attributes(second.access_token, externalUserId)).toBe(true);
    const rotated = await refresh(suite.t, suite.partner, second.refresh_token, externalUserId);
    expect(rotated.status).toBe(200);
  });

  it("two confirmations at once (the second waits on the first's row lock): both 200, the same pair, one link", async () => {
    const { externalUserId, linkToken, cookie } = await approved();
    const answers = await Promise.all([confirm(suite.t, suite.partner, linkToken, externalUserId), confirm(suite.t, suite.partner, linkToken, externalUserId)]);
    const [a, b] = await Promise.all(answers.map(confirmed));
    expect(b!.access_token).toBe(a!.access_token);
    expect(b!.refresh_token).toBe(a!.refresh_token);
    const { links } = (await (await suite.t.app.request("/api/me/links", { headers: { cookie } })).json()) as { links: { status: string }[] };
    expect(links.map((l) => l.status)).toEqual(["active"]);
    expect((await refresh(suite.t, suite.partner, a!.refresh_token, externalUserId)).status).toBe(200);
  });

  it.runIf(kind === "postgres")("a confirmation that waited on the first one's row lock finds the link active: 200, the same pair", async () => {
    const { externalUserId, linkToken } = await approved();
    // Hold the pending row's lock so that both confirmations queue on it; the one that gets it
    // activates the link, the other then finds it no longer pending.
    const holder = await openTransaction(suite.tdb.url!, (tx) => tx`select id from user_integration where external_user_id = ${externalUserId} and status = 'pending' for update`);
    try {
      const answers = [confirm(suite.t, suite.partner, linkToken, externalUserId), confirm(suite.t, suite.partner, linkToken, externalUserId)];
      expect(await stillWaiting(Promise.all(answers))).toBe(true);
      await holder.commit();
      const [a, b] = await Promise.all((await Promise.all(answers)).map(confirmed));
      expect(b).toEqual(a);
    } finally {
      await holder.close();
    }
  });

  it("answers the link's current pair: after a refresh in between, the rotated one", async () => {
    const { externalUserId, linkToken } = await approved();
    const first = await confirmed(await confirm(suite.t, suite.partner, linkToken, externalUserId));
    suite.clock.advance(2);
    const rotated = (await (await refresh(suite.t, suite.partner, first.refresh_token, externalUserId)).json()) as TokenBody;
    suite.clock.advance(2);
    const again = await confirmed(await confirm(suite.t, suite.partner, linkToken, externalUserId));
    expect(again).toEqual({ ...rotated, expires_in: rotated.expires_in - 2, refresh_token_expires_in: rotated.refresh_token_expires_in - 2 });
  });

  it("by another client: refused without revoking, and the link still works", async () => {
    const { externalUserId, linkToken } = await approved();
    const first = await confirmed(await confirm(suite.t, suite.partner, linkToken, externalUserId));
    suite.clock.advance(3);
    await expectRefused(await confirm(suite.t, otherPartner, linkToken, externalUserId));
    expect(await attributes(first.access_token, externalUserId)).toBe(true);
    // The player's own reload still gets the pair.
    expect((await confirmed(await confirm(suite.t, suite.partner, linkToken, externalUserId))).refresh_token).toBe(first.refresh_token);
    expect((await refresh(suite.t, suite.partner, first.refresh_token, externalUserId)).status).toBe(200);
  });

  it("for another external user: refused without revoking, and the link still works", async () => {
    const { externalUserId, linkToken } = await approved();
    const first = await confirmed(await confirm(suite.t, suite.partner, linkToken, externalUserId));
    suite.clock.advance(3);
    await expectRefused(await confirm(suite.t, suite.partner, linkToken, "someone-else"));
    expect(await attributes(first.access_token, externalUserId)).toBe(true);
    expect((await refresh(suite.t, suite.partner, first.refresh_token, externalUserId)).status).toBe(200);
  });

  it(`after ${LINK_CONFIRM_RETRY_SECONDS + 1} s: refused, and the pair it issued is revoked`, async () => {
    const { externalUserId, linkToken, cookie } = await approved();
    const first = await confirmed(await confirm(suite.t, suite.partner, linkToken, externalUserId));
    suite.clock.advance(LINK_CONFIRM_RETRY_SECONDS + 1);
    await expectRefused(await confirm(suite.t, suite.partner, linkToken, externalUserId));
    expect((await refresh(suite.t, suite.partner, first.refresh_token, externalUserId)).status).toBe(400);
    expect(await attributes(first.access_token, externalUserId)).toBe(false);
    const { links } = (await (await suite.t.app.request("/api/me/links", { headers: { cookie } })).json()) as { links: { status: string }[] };
    expect(links.map((l) => l.status)).toEqual(["revoked"]);
  });

  it("after the window, by another client: refused, and nothing is revoked", async () => {
    const { externalUserId, linkToken } = await approved();
    const first = await confirmed(await confirm(suite.t, suite.partner, linkToken, externalUserId));
    suite.clock.advance(LINK_CONFIRM_RETRY_SECONDS + 1);
    await expectRefused(await confirm(suite.t, otherPartner, linkToken, externalUserId));
    expect((await refresh(suite.t, suite.partner, first.refresh_token, externalUserId)).status).toBe(200);
  });

  it("a link revoked since (unlinked by the partner) is refused, inside the window too", async () => {
    const { externalUserId, linkToken } = await approved();
    await confirmed(await confirm(suite.t, suite.partner, linkToken, externalUserId));
    const { clientId, secret } = suite.partner;
    const unlink = await postJson(suite.t, "/api/integration/unlink", { client_id: clientId, client_secret: secret, external_user_id: externalUserId, integration: "karabast" });
    expect(await unlink.json()).toEqual({ success: true, unlinked: true });
    suite.clock.advance(2);
    await expectRefused(await confirm(suite.t, suite.partner, linkToken, externalUserId));
  });

  it("records the retry as link_confirmed for the user, and no token in the audit log", async () => {
    const { externalUserId, linkToken, cookie } = await approved();
    const first = await confirmed(await confirm(suite.t, suite.partner, linkToken, externalUserId));
    suite.clock.advance(1);
    await confirmed(await confirm(suite.t, suite.partner, linkToken, externalUserId));
    const { events } = (await (await suite.t.app.request("/api/me/events", { headers: { cookie } })).json()) as { events: { event: string; detail: string | null }[] };
    expect(events.slice(0, 2)).toMatchObject([
      { event: "link_confirmed", detail: "callback loaded again: same pair" },
      { event: "link_confirmed", detail: null },
    ]);
    const logged = JSON.stringify(events) + suite.t.logs.join("");
    for (const secret of [linkToken, first.access_token, first.refresh_token]) expect(logged).not.toContain(secret);
  });
});
