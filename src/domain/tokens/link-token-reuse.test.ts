import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decideLinkTokenReuse, LINK_CONFIRM_RETRY_SECONDS, type LinkTokenReuseRequest, type UsedLinkToken } from "./link-token-reuse.js";

const linkedAt = new Date("2026-11-25T12:00:00Z");
const after = (seconds: number) => new Date(linkedAt.getTime() + seconds * 1000);

const used: UsedLinkToken = {
  clientId: "karabast",
  externalUserId: "kb-1",
  status: "active",
  linkedAt,
  codeChallenge: null,
  accessTokenCiphertext: "access-ciphertext",
  accessTokenExpiresAt: after(3600),
  refreshTokenCiphertext: "refresh-ciphertext",
  refreshTokenExpiresAt: after(30 * 86_400),
};

const reload: LinkTokenReuseRequest = { grant: "link_token", clientId: "karabast", externalUserId: "kb-1", verifierChallenge: null, now: after(3) };

describe("decideLinkTokenReuse", () => {
  it("answers the same pair to the callback loaded again: same client, same external user, inside the window", () => {
    expect(decideLinkTokenReuse(used, reload)).toEqual({ action: "retry" });
    expect(decideLinkTokenReuse(used, { ...reload, now: after(LINK_CONFIRM_RETRY_SECONDS) })).toEqual({ action: "retry" });
    // A confirmation that waited on the first one's row lock may carry an earlier clock reading.
    expect(decideLinkTokenReuse(used, { ...reload, now: after(-1) })).toEqual({ action: "retry" });
    // With PKCE: the same verifier as the first confirmation.
    expect(decideLinkTokenReuse({ ...used, codeChallenge: "challenge" }, { ...reload, verifierChallenge: "challenge" })).toEqual({ action: "retry" });
  });

  it("revokes on a reuse by the same client after the window", () => {
    expect(decideLinkTokenReuse(used, { ...reload, now: after(LINK_CONFIRM_RETRY_SECONDS + 1) })).toMatchObject({ action: "revoke" });
    expect(decideLinkTokenReuse(used, { ...reload, externalUserId: "kb-2", now: after(61) })).toMatchObject({ action: "revoke" });
    expect(decideLinkTokenReuse({ ...used, linkedAt: null }, reload)).toMatchObject({ action: "revoke" });
  });

  it.each([
    ["another external user", { externalUserId: "kb-2" }, {}],
    ["no external user", { externalUserId: null }, {}],
    ["a verifier the first confirmation did not send", { verifierChallenge: "challenge" }, {}],
    ["no verifier where the first confirmation sent one", {}, { codeChallenge: "challenge" }],
    ["another verifier", { verifierChallenge: "other" }, { codeChallenge: "challenge" }],
    ["a revoked link", {}, { status: "revoked" as const }],
    ["a link without ciphertexts", {}, { accessTokenCiphertext: null }],
    ["a link without expiries", {}, { refreshTokenExpiresAt: null }],
    ["an expired refresh token", {}, { refreshTokenExpiresAt: after(2) }],
  ] satisfies [string, Partial<LinkTokenReuseRequest>, Partial<UsedLinkToken>][])("refuses without revoking, inside the window: %s", (_name, request, link) => {
    expect(decideLinkTokenReuse({ ...used, ...link }, { ...reload, ...request })).toMatchObject({ action: "refuse" });
  });

  it("refuses a token that activated nothing", () => {
    expect(decideLinkTokenReuse(null, reload)).toMatchObject({ action: "refuse" });
  });

  it("the OAuth code grant stays strict: any reuse by the same client revokes", () => {
    expect(decideLinkTokenReuse(used, { ...reload, grant: "authorization_code", externalUserId: null })).toEqual({
      action: "revoke",
      detail: "authorization code reused: its tokens were revoked",
    });
  });

  it("properties: another client never revokes; the code grant never retries; a retry is always inside the window", () => {
    const linkArb = fc.record({
      clientId: fc.constantFrom("karabast", "acme"),
      externalUserId: fc.constantFrom("kb-1", "kb-2"),
      status: fc.constantFrom("pending" as const, "active" as const, "revoked" as const),
      linkedAt: fc.option(fc.integer({ min: -5, max: 200 }).map(after)),
      codeChallenge: fc.option(fc.constantFrom("c1", "c2")),
      accessTokenCiphertext: fc.option(fc.constant("a")),
      accessTokenExpiresAt: fc.option(fc.integer({ min: 0, max: 4000 }).map(after)),
      refreshTokenCiphertext: fc.option(fc.constant("r")),
      refreshTokenExpiresAt: fc.option(fc.integer({ min: 0, max: 4000 }).map(after)),
    });
    const requestArb = fc.record({
      grant: fc.constantFrom("link_token" as const, "authorization_code" as const),
      clientId: fc.constantFrom("karabast", "acme"),
      externalUserId: fc.option(fc.constantFrom("kb-1", "kb-2")),
      verifierChallenge: fc.option(fc.constantFrom("c1", "c2")),
      now: fc.integer({ min: 0, max: 300 }).map(after),
    });
    fc.assert(
      fc.property(linkArb, requestArb, (link, request) => {
        const decision = decideLinkTokenReuse(link, request);
        if (link.clientId !== request.clientId) expect(decision.action).toBe("refuse");
        if (request.grant === "authorization_code") expect(decision.action).not.toBe("retry");
        if (decision.action === "retry") {
          expect(request.externalUserId).toBe(link.externalUserId);
          expect(request.verifierChallenge).toBe(link.codeChallenge);
          expect(link.status).toBe("active");
          expect(request.now.getTime() - link.linkedAt!.getTime()).toBeLessThanOrEqual(LINK_CONFIRM_RETRY_SECONDS * 1000);
          expect(link.refreshTokenExpiresAt! > request.now).toBe(true);
        }
        // Inside the window on the Karabast door nothing revokes.
        const inWindow = link.linkedAt !== null && request.now.getTime() - link.linkedAt.getTime() <= LINK_CONFIRM_RETRY_SECONDS * 1000;
        if (request.grant === "link_token" && inWindow) expect(decision.action).not.toBe("revoke");
      }),
      { numRuns: 500 },
    );
  });
});
