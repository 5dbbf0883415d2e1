/**
 * The approval side of linking: validating an authorization request, creating the pending link
 * (with its single-use link token) when the signed-in user approves, denying, and unlinking.
 */
import { randomUUID } from "node:crypto";
import type { AuditLog, RequestContext } from "../audit/audit-log.js";
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
  codeChallenge?: string | undefined;
  codeChallengeMethod?: string | undefined;
}

export interface AuthorizationRequest {
  client: Client;
  redirectUri: string;
  scopes: string[];
  /** Required for Karabast (its user id); optional for standard OAuth clients. */
  externalUserId: string | null;
  state: string | null;
  codeChallenge: string | null;
}

/** Appends parameters to a registered redirect URI, keeping any query it already has. */
function buildRedirect(redirectUri: string, params: Record<string, string | null | undefined>): string {
  const url = new URL(redirectUri);
  for (const [k, v] of Object.entries(params)) if (v != null) url.searchParams.set(k, v);
  return url.toString();
}

const NO_CONTEXT: RequestContext = { ip: null, userAgent: null };

export interface LinkServiceDeps {
  audit: AuditLog;
  /** Our issuer identifier (PUBLIC_URL), sent as `iss` on every redirect (RFC 9207). */
  issuer: string;
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
        redirectTo: buildRedirect(redirectUri, { error, error_description: description, state, iss: deps.issuer }),
      });

    if (input.responseType !== undefined && input.responseType !== "code")
      throw back("unsupported_response_type", "Only response_type=code is supported");
    if (state !== null && state.length > 500) throw back("invalid_request", "state is too long (at most 500 characters)");
    const requested = parseScopes(input.scope);
    const scopes = requested.length > 0 ? requested : client.scopes;
    const unknown = scopes.filter((s) => !client.scopes.includes(s));
    if (unknown.length > 0) throw back("invalid_scope", `Scope not allowed for this client: ${unknown.join(" ")}`);
    const externalUserId = input.externalUserId?.trim() || null;
    if (!externalUserId && client.integration === "karabast") throw back("invalid_request", "karabast_user_id is missing");
    if (externalUserId && externalUserId.length > 200) throw back("invalid_request", "karabast_user_id is too long (at most 200 characters)");
    // PKCE (RFC 7636 §4.3): only S256; a challenge is 43-128 characters of base64url.
    const codeChallenge = input.codeChallenge ?? null;
    if (codeChallenge !== null) {
      if ((input.codeChallengeMethod ?? "plain") !== "S256") throw back("invalid_request", "code_challenge_method must be S256");
      if (!/^[A-Za-z0-9_-]{43,128}$/.test(codeChallenge)) throw back("invalid_request", "code_challenge is malformed");
    } else if (input.codeChallengeMethod !== undefined) {
      throw back("invalid_request", "code_challenge_method without code_challenge");
    }
    return { client, redirectUri, scopes, externalUserId, state, codeChallenge };
  }

  return {
    validateAuthorization,

    async describeAuthorization(input: AuthorizationInput, who: { userId: string; context?: RequestContext }) {
      const req = await validateAuthorization(input);
      await deps.audit.record(
        { event: "link_requested", userId: who.userId, clientId: req.client.clientId, externalUserId: req.externalUserId },
        who.context ?? NO_CONTEXT,
      );
      return {
        client: { id: req.client.clientId, name: req.client.name },
        integration: req.client.integration,
        externalUserId: req.externalUserId,
        scopes: describeScopes(req.scopes),
        redirectUri: req.redirectUri,
        state: req.state,
        codeChallenge: req.codeChallenge,
        codeChallengeMethod: req.codeChallenge ? "S256" : null,
      };
    },

    /** Step 3: the signed-in user approved. Returns the link token and where to send the browser. */
    async createLink(input: AuthorizationInput & { userId: string; metadata?: Record<string, unknown>; context?: RequestContext }) {
      const req = await validateAuthorization(input);
      const now = clock();
      const linkToken = generateToken("link");
      await links.upsertPending({
        id: randomUUID(),
        userId: input.userId,
        clientId: req.client.clientId,
        integration: req.client.integration,
        // Standard clients need not name an external account: the link is then keyed by our user.
        externalUserId: req.externalUserId ?? `swubase:${input.userId}`,
        scopes: req.scopes,
        redirectUri: req.redirectUri,
        codeChallenge: req.codeChallenge,
        metadata: input.metadata ?? {},
        linkTokenDigest: vault.digest(linkToken),
        linkTokenCiphertext: vault.encrypt(linkToken),
        linkTokenExpiresAt: new Date(now.getTime() + deps.linkTokenTtlSeconds * 1000),
        now,
      });
      // The deployed client reads link_token; the workflow document says linkToken; standard
      // OAuth clients read code. All three carry the same single-use token.
      await deps.audit.record(
        { event: "link_approved", userId: input.userId, clientId: req.client.clientId, externalUserId: req.externalUserId, detail: `scopes: ${req.scopes.join(" ")}` },
        input.context ?? NO_CONTEXT,
      );
      const redirectTo = buildRedirect(req.redirectUri, {
        link_token: linkToken,
        linkToken,
        code: linkToken,
        karabast_user_id: req.externalUserId,
        state: req.state,
        iss: deps.issuer,
      });
      return { linkToken, redirectTo };
    },

    /** The user pressed Cancel: back to the partner with access_denied (RFC 6749 §4.1.2.1). */
    async denyLink(input: AuthorizationInput & { userId: string; context?: RequestContext }) {
      if (!input.clientId) throw new OAuthError("invalid_request", "client_id is missing");
      const client = await clients.find(input.clientId);
      if (!client) throw new OAuthError("invalid_client", "Unknown client_id", 400);
      const redirectUri = input.redirectUri || (client.redirectUris.length === 1 ? client.redirectUris[0]! : undefined);
      if (!redirectUri || !client.redirectUris.includes(redirectUri))
        throw new OAuthError("invalid_request", "redirect_uri is not registered for this client");
      await deps.audit.record({ event: "link_denied", userId: input.userId, clientId: client.clientId }, input.context ?? NO_CONTEXT);
      return {
        redirectTo: buildRedirect(redirectUri, { error: "access_denied", error_description: "The user declined the link", state: input.state ?? null, iss: deps.issuer }),
      };
    },

    listLinks(userId: string) {
      return links.listForUser(userId);
    },

    async unlinkByUser(userId: string, linkId: string, context: RequestContext = NO_CONTEXT) {
      const revoked = await links.revokeForUser(userId, linkId, clock());
      if (!revoked) throw new OAuthError("not_found", "No active link with this id on your account");
      await deps.audit.record({ event: "unlinked_by_user", userId, clientId: revoked.clientId, externalUserId: revoked.externalUserId, linkId }, context);
    },

    async unlinkByPartner(client: Client, externalUserId: string, context: RequestContext = NO_CONTEXT) {
      const { revoked } = await links.revokeByExternalUser(client.clientId, externalUserId, clock());
      for (const link of revoked)
        await deps.audit.record({ event: "unlinked_by_partner", userId: link.userId, clientId: client.clientId, externalUserId, linkId: link.id }, context);
      return { unlinked: revoked.some((l) => l.wasActive) };
    },

    auditTrail: (userId: string) => deps.audit.forUser(userId, 50),
  };
}

export type LinkService = ReturnType<typeof createLinkService>;
