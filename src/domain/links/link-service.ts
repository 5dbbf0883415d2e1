/**
 * The approval side of linking: validating an authorization request, creating the pending link
 * (with its single-use link token) when the signed-in user approves, denying, and unlinking.
 */
import { randomUUID } from "node:crypto";
import type { LinkRepository } from "../../repositories/link-repository.js";
import type { Client, ClientService } from "../clients/client-service.js";
import { describeScopes, parseScopes } from "../clients/scopes.js";
import { OAuthError } from "../errors.js";
import { generateToken, type TokenVault } from "../tokens/token-vault.js";

export interface AuthorizationInput {
  integration?: string | undefined;
  clientId?: string | undefined;
  redirectUri?: string | undefined;
  responseType?: string | undefined;
  scope?: string | string[] | undefined;
  externalUserId?: string | undefined;
  state?: string | undefined;
}

export interface AuthorizationRequest {
  client: Client;
  redirectUri: string;
  scopes: string[];
  externalUserId: string;
  state: string | null;
}

/** Appends parameters to a registered redirect URI, keeping any query it already has. */
export function buildRedirect(redirectUri: string, params: Record<string, string | null | undefined>): string {
  const url = new URL(redirectUri);
  for (const [k, v] of Object.entries(params)) if (v != null) url.searchParams.set(k, v);
  return url.toString();
}

export interface LinkServiceDeps {
  clients: ClientService;
  links: LinkRepository;
  vault: TokenVault;
  linkTokenTtlSeconds: number;
  clock: () => Date;
}

export function createLinkService(deps: LinkServiceDeps) {
  const { clients, links, vault, clock } = deps;

  /**
   * RFC 6749 §4.1.2.1: while the client or the redirect URI is in doubt, errors are shown to the
   * user and never redirected. Once both are known good, errors go back to the client with
   * `error` and `state`.
   */
  async function validateAuthorization(input: AuthorizationInput): Promise<AuthorizationRequest> {
    if (!input.clientId) throw new OAuthError("invalid_request", "client_id is missing");
    const client = await clients.find(input.clientId);
    if (!client) throw new OAuthError("invalid_client", "Unknown client_id: this partner is not registered with Swubase", 400);
    if (input.integration && input.integration !== client.integration)
      throw new OAuthError("invalid_request", `This client is not a ${input.integration} integration`);

    let redirectUri: string;
    if (input.redirectUri === undefined || input.redirectUri === "") {
      if (client.redirectUris.length !== 1) throw new OAuthError("invalid_request", "redirect_uri is required for this client");
      redirectUri = client.redirectUris[0]!;
    } else if (client.redirectUris.includes(input.redirectUri)) {
      redirectUri = input.redirectUri; // exact string match only: no prefix, case or slash variants
    } else {
      throw new OAuthError("invalid_request", "redirect_uri is not registered for this client");
    }

    const state = input.state ?? null;
    const back = (error: string, description: string) =>
      new OAuthError(error === "invalid_scope" ? "invalid_scope" : "invalid_request", description, 400, {}, {
        redirectTo: buildRedirect(redirectUri, { error, error_description: description, state }),
      });

    if (input.responseType !== undefined && input.responseType !== "code")
      throw back("unsupported_response_type", "Only response_type=code is supported");
    if (state !== null && state.length > 500) throw back("invalid_request", "state is too long (at most 500 characters)");
    const requested = parseScopes(input.scope);
    const scopes = requested.length > 0 ? requested : client.scopes;
    const unknown = scopes.filter((s) => !client.scopes.includes(s));
    if (unknown.length > 0) throw back("invalid_scope", `Scope not allowed for this client: ${unknown.join(" ")}`);
    const externalUserId = input.externalUserId?.trim() ?? "";
    if (!externalUserId) throw back("invalid_request", "karabast_user_id is missing");
    if (externalUserId.length > 200) throw back("invalid_request", "karabast_user_id is too long (at most 200 characters)");
    return { client, redirectUri, scopes, externalUserId, state };
  }

  return {
    validateAuthorization,

    async describeAuthorization(input: AuthorizationInput) {
      const req = await validateAuthorization(input);
      return {
        client: { id: req.client.clientId, name: req.client.name },
        integration: req.client.integration,
        externalUserId: req.externalUserId,
        scopes: describeScopes(req.scopes),
        redirectUri: req.redirectUri,
        state: req.state,
      };
    },

    /** Step 3: the signed-in user approved. Returns the link token and where to send the browser. */
    async createLink(input: AuthorizationInput & { userId: string; metadata?: Record<string, unknown> }) {
      const req = await validateAuthorization(input);
      const now = clock();
      const linkToken = generateToken("link");
      await links.upsertPending({
        id: randomUUID(),
        userId: input.userId,
        clientId: req.client.clientId,
        integration: req.client.integration,
        externalUserId: req.externalUserId,
        scopes: req.scopes,
        redirectUri: req.redirectUri,
        metadata: input.metadata ?? {},
        linkTokenDigest: vault.digest(linkToken),
        linkTokenCiphertext: vault.encrypt(linkToken),
        linkTokenExpiresAt: new Date(now.getTime() + deps.linkTokenTtlSeconds * 1000),
        now,
      });
      // The deployed client reads link_token; the workflow document says linkToken; standard
      // OAuth clients read code. All three carry the same single-use token.
      const redirectTo = buildRedirect(req.redirectUri, {
        link_token: linkToken,
        linkToken,
        code: linkToken,
        karabast_user_id: req.externalUserId,
        state: req.state,
      });
      return { linkToken, redirectTo };
    },

    /** The user pressed Cancel: back to the partner with access_denied (RFC 6749 §4.1.2.1). */
    async denyLink(input: AuthorizationInput) {
      if (!input.clientId) throw new OAuthError("invalid_request", "client_id is missing");
      const client = await clients.find(input.clientId);
      if (!client) throw new OAuthError("invalid_client", "Unknown client_id", 400);
      const redirectUri = input.redirectUri || (client.redirectUris.length === 1 ? client.redirectUris[0]! : undefined);
      if (!redirectUri || !client.redirectUris.includes(redirectUri))
        throw new OAuthError("invalid_request", "redirect_uri is not registered for this client");
      return { redirectTo: buildRedirect(redirectUri, { error: "access_denied", error_description: "The user declined the link", state: input.state ?? null }) };
    },

    listLinks(userId: string) {
      return links.listForUser(userId);
    },

    async unlinkByUser(userId: string, linkId: string) {
      const ok = await links.revokeForUser(userId, linkId, clock());
      if (!ok) throw new OAuthError("not_found", "No active link with this id on your account");
    },

    async unlinkByPartner(client: Client, externalUserId: string) {
      const { revokedActive } = await links.revokeByExternalUser(client.clientId, externalUserId, clock());
      return { unlinked: revokedActive > 0 };
    },
  };
}

export type LinkService = ReturnType<typeof createLinkService>;
