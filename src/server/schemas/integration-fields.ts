/**
 * The one place where the partner's spellings meet ours. The deployed Karabast client sends
 * snake_case, the workflow document camelCase, standard OAuth clients their own names; each
 * concept is read from any of its spellings and has one name inside the service. Two spellings
 * of one concept with different values are refused rather than guessed.
 */
import { z } from "zod";
import { OAuthError } from "../../domain/errors.js";

export const ALIASES = {
  clientId: ["client_id", "clientId"],
  clientSecret: ["client_secret", "clientSecret"],
  linkToken: ["link_token", "linkToken", "code"],
  refreshToken: ["refresh_token", "refreshToken"],
  externalUserId: ["external_user_id", "externalUserId", "karabast_user_id", "karabastUserId"],
  integration: ["integration"],
  redirectUri: ["redirect_uri", "redirectUri"],
  responseType: ["response_type", "responseType"],
  state: ["state"],
  scope: ["scope", "scopes"],
  metadata: ["metadata"],
  grantType: ["grant_type", "grantType"],
  data: ["data"],
  codeChallenge: ["code_challenge", "codeChallenge"],
  codeChallengeMethod: ["code_challenge_method", "codeChallengeMethod"],
  codeVerifier: ["code_verifier", "codeVerifier"],
  token: ["token"],
  tokenTypeHint: ["token_type_hint", "tokenTypeHint"],
  // PATCH /api/me/profile (a browser endpoint: one spelling each)
  handle: ["handle"],
  publicStats: ["publicStats"],
  metaOptOut: ["metaOptOut"],
} as const;

export type FieldName = keyof typeof ALIASES;
export type IntegrationFields = Partial<Record<FieldName, unknown>>;

/** The name the deployed client uses, for error messages it can act on. */
const wireName = (field: FieldName): string => ALIASES[field][0];

/**
 * Reads each concept from its spellings. A null or "" value counts as absent (the deployed client
 * sends `null` for what it does not have), except for the fields in `nullable`, where `null` is a
 * value the route reads (PATCH /api/me/profile: `"handle": null` clears the handle).
 */
export function normaliseFields(body: Record<string, unknown>, nullable: readonly FieldName[] = []): IntegrationFields {
  const fields: IntegrationFields = {};
  for (const [field, aliases] of Object.entries(ALIASES) as [FieldName, readonly string[]][]) {
    const keepNull = nullable.includes(field);
    const given = (a: string) => Object.hasOwn(body, a) && body[a] !== undefined && (body[a] !== null || keepNull) && body[a] !== "";
    const present = aliases.filter(given);
    if (present.length === 0) continue;
    const first = body[present[0]!];
    for (const other of present.slice(1)) {
      if (JSON.stringify(body[other]) !== JSON.stringify(first))
        throw new OAuthError("invalid_request", `${present[0]} and ${other} are given with different values`);
    }
    fields[field] = first;
  }
  return fields;
}

/** An identifier: a non-empty string (numbers are accepted and read as strings), at most 200 characters. */
export const idField = (field: FieldName) =>
  z
    .union([z.string(), z.number().finite()], { error: `${wireName(field)} must be a string` })
    .transform((v) => String(v).trim())
    .pipe(z.string().min(1, `${wireName(field)} is empty`).max(200, `${wireName(field)} is too long (at most 200 characters)`));

/** A token: a string of sane length (the value itself is checked by lookup, never echoed). */
export const tokenField = (field: FieldName) =>
  z
    .string({ error: `${wireName(field)} must be a string` })
    .min(1, `${wireName(field)} is empty`)
    .max(512, `${wireName(field)} is too long`);

export const integrationField = z.string({ error: "integration must be a string" }).max(50, "integration is too long").optional();

/** Parses normalised fields with a schema; the first problem becomes an invalid_request. */
export function parseFields<S extends z.ZodType>(schema: S, fields: IntegrationFields): z.output<S> {
  const result = schema.safeParse(fields);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const key = issue.path[0];
  const message =
    typeof key === "string" && key in ALIASES && fields[key as FieldName] === undefined
      ? `${wireName(key as FieldName)} is required`
      : issue.message;
  throw new OAuthError("invalid_request", message);
}
