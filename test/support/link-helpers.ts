/** Helpers for driving the link workflow through the HTTP API in tests. */
import { expect } from "vitest";
import type { TestApp } from "./test-app.js";
import { signUp, TEST_ORIGIN } from "./test-app.js";

export const REDIRECT_URI = "https://karabast.example/api/swubase/callback";

export async function registerPartner(t: TestApp, overrides: { clientId?: string; redirectUris?: string[]; scopes?: string[] } = {}) {
  return t.deps.services.clients.register({
    clientId: overrides.clientId ?? "karabast",
    name: "Karabast",
    integration: "karabast",
    redirectUris: overrides.redirectUris ?? [REDIRECT_URI],
    scopes: overrides.scopes ?? ["decks", "email", "profile", "teams"],
  });
}

export function postJson(t: TestApp, path: string, body: unknown, headers: Record<string, string> = {}) {
  return t.app.request(path, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
}

export function postForm(t: TestApp, path: string, body: Record<string, string>, headers: Record<string, string> = {}) {
  return t.app.request(path, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(body).toString(),
  });
}

export const basic = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString("base64")}`;

/** The approval step as the page does it: returns the link token from the redirect. */
export async function approveLink(
  t: TestApp,
  cookie: string,
  input: { clientId: string; externalUserId: string; state?: string; scopes?: string },
): Promise<{ linkToken: string; redirectTo: URL }> {
  const res = await postJson(
    t,
    "/api/integration/link-create",
    { clientId: input.clientId, externalUserId: input.externalUserId, scopes: input.scopes ?? "decks email profile teams", integration: "karabast", metadata: {}, state: input.state },
    { cookie, origin: TEST_ORIGIN },
  );
  expect(res.status, await res.clone().text()).toBe(200);
  const body = (await res.json()) as { linkToken: string; redirectTo: string };
  return { linkToken: body.linkToken, redirectTo: new URL(body.redirectTo) };
}

export interface TokenBody {
  access_token: string;
  refresh_token: string;
  token_type: string;
  expires_in: number;
  refresh_token_expires_in: number;
  scope: string;
}

export async function confirm(t: TestApp, partner: { clientId: string; secret: string }, linkToken: string, externalUserId: string) {
  return postJson(t, "/api/integration/link-confirm", {
    client_id: partner.clientId,
    client_secret: partner.secret,
    link_token: linkToken,
    external_user_id: externalUserId,
    integration: "karabast",
  });
}

export async function refresh(t: TestApp, partner: { clientId: string; secret: string }, refreshToken: string, externalUserId: string) {
  return postJson(t, "/api/integration/refresh-token", {
    client_id: partner.clientId,
    client_secret: partner.secret,
    refresh_token: refreshToken,
    external_user_id: externalUserId,
    integration: "karabast",
  });
}

/** A new user `email`, signed up, approving `partner` for `externalUserId` and linked by its link-confirm: the session cookie and the partner's tokens. */
export async function linkNewUser(
  t: TestApp,
  partner: { clientId: string; secret: string },
  input: { email: string; externalUserId: string },
): Promise<{ cookie: string; userId: string; tokens: TokenBody }> {
  const { cookie, userId } = await signUp(t.app, { email: input.email });
  const { linkToken } = await approveLink(t, cookie, { clientId: partner.clientId, externalUserId: input.externalUserId });
  const res = await confirm(t, partner, linkToken, input.externalUserId);
  expect(res.status, await res.clone().text()).toBe(200);
  return { cookie, userId, tokens: (await res.json()) as TokenBody };
}
