/**
 * Reads a request body once: JSON or form-encoded (RFC 6749 uses forms, the deployed client
 * JSON), within a size limit, into `c.var.fields` with every spelling normalised.
 * Wrong content type → 415, too large → 413, malformed → 400; all as JSON errors.
 */
import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { every } from "hono/combine";
import { OAuthError } from "../../domain/errors.js";
import type { AppEnv } from "../app-env.js";
import { normaliseFields } from "../schemas/integration-fields.js";
import { assertSafeValue } from "../schemas/safe-text.js";

export const LINK_BODY_LIMIT = 64 * 1024;

function mediaType(header: string | undefined): string {
  return (header ?? "").split(";")[0]!.trim().toLowerCase();
}

export function readBody(options: { maxBytes?: number } = {}): MiddlewareHandler<AppEnv> {
  const maxBytes = options.maxBytes ?? LINK_BODY_LIMIT;
  return every(
    bodyLimit({
      maxSize: maxBytes,
      onError: () => {
        throw new OAuthError("payload_too_large", `The request body is larger than ${Math.round(maxBytes / 1024)} kB`);
      },
    }),
    async function parseBody(c, next) {
      const type = mediaType(c.req.header("content-type"));
      let body: unknown;
      if (type === "application/json" || type.endsWith("+json")) {
        const text = await c.req.text();
        try {
          body = text.trim() === "" ? {} : JSON.parse(text);
        } catch {
          throw new OAuthError("invalid_request", "The body is not valid JSON");
        }
      } else if (type === "application/x-www-form-urlencoded") {
        const params = new URLSearchParams(await c.req.text());
        body = {} as Record<string, string>;
        for (const key of new Set(params.keys())) {
          const values = params.getAll(key);
          // RFC 6749 §3.1: parameters must not be repeated.
          if (values.length > 1) throw new OAuthError("invalid_request", `${key} is given more than once`);
          (body as Record<string, string>)[key] = values[0]!;
        }
      } else {
        throw new OAuthError("unsupported_media_type", "Send application/json or application/x-www-form-urlencoded");
      }
      if (typeof body !== "object" || body === null || Array.isArray(body))
        throw new OAuthError("invalid_request", "The body must be a JSON object");
      assertSafeValue(body, "the body");
      c.set("fields", normaliseFields(body as Record<string, unknown>));
      await next();
    },
  ) as MiddlewareHandler<AppEnv>;
}
