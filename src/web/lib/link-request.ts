/**
 * The approval flow for a partner's link request: validate it (authorize), then approve
 * (link-create) or decline (link-deny). Each answer tells the browser where to go next.
 */
import { api, ApiError } from "./api.js";

export interface AuthorizeResponse {
  client: { id: string; name: string };
  integration: string;
  externalUserId: string | null;
  scopes: { name: string; description: string }[];
  redirectUri: string;
  state: string | null;
  /** PKCE challenge of a standard OAuth client, passed back unchanged on approval. */
  codeChallenge?: string | null;
  codeChallengeMethod?: string | null;
}

/** `GET /api/integration/authorize` with the page's query string passed through untouched. */
export function authorizeUrl(rawSearch: string, integration: string): string {
  const query = rawSearch.replace(/^\?/, "");
  return `/api/integration/authorize?${query ? `${query}&` : ""}integration=${encodeURIComponent(integration)}`;
}

export function authorize(rawSearch: string, integration: string) {
  return api.get<AuthorizeResponse>(authorizeUrl(rawSearch, integration));
}

export function approve(request: AuthorizeResponse) {
  return api.post<{ linkToken: string; redirectTo: string }>("/api/integration/link-create", {
    clientId: request.client.id,
    externalUserId: request.externalUserId,
    scopes: request.scopes.map((s) => s.name).join(" "),
    integration: request.integration,
    metadata: {},
    redirectUri: request.redirectUri,
    ...(request.state === null ? {} : { state: request.state }),
    ...(request.codeChallenge ? { codeChallenge: request.codeChallenge, codeChallengeMethod: request.codeChallengeMethod ?? "S256" } : {}),
  });
}

export function deny(request: AuthorizeResponse) {
  return api.post<{ redirectTo: string }>("/api/integration/link-deny", {
    clientId: request.client.id,
    redirectUri: request.redirectUri,
    state: request.state,
    integration: request.integration,
  });
}

/** Only absolute http(s) URLs are followed; anything else is treated as no redirect. */
export function httpUrlOrNull(value: unknown): string | null {
  if (typeof value !== "string" || !URL.canParse(value)) return null;
  const protocol = new URL(value).protocol;
  return protocol === "https:" || protocol === "http:" ? value : null;
}

/** The partner URL an authorize error asks us to return to, when it gave one. */
export function errorRedirect(err: unknown): string | null {
  return err instanceof ApiError ? httpUrlOrNull(err.body.redirectTo) : null;
}
