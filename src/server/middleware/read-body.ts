/**
 * Reads a request body once: JSON or form-encoded (RFC 6749 uses forms, the deployed client
 * JSON), within a size limit, into `c.get("fields")` with every spelling normalised.
 * Wrong content type → 415, too large → 413, malformed or nested too deeply → 400; all as JSON errors.
 */
import type { Context, MiddlewareHandler } from "hono";
import { OAuthError } from "../../domain/errors.js";
import type { AppEnv } from "../app-env.js";
import { normaliseFields, type FieldName } from "../schemas/integration-fields.js";
import { assertJsonDepth } from "../schemas/json-depth.js";
import { assertSafeValue } from "../schemas/safe-text.js";

export const LINK_BODY_LIMIT = 64 * 1024;

function mediaType(header: string | undefined): string {
  return (header ?? "").split(";")[0]!.trim().toLowerCase();
}

/** 413; the connection is closed after it, since the rest of the body may still be on its way. */
export function tooLarge(maxBytes: number): OAuthError {
  return new OAuthError("payload_too_large", `The request body is larger than ${Math.round(maxBytes / 1024)} kB`, 413, { Connection: "close" });
}

/**
 * The body as text, refused (413) beyond `maxBytes` before it is buffered. With a
 * Content-Length (every partner call), Node's HTTP parser reads exactly that many bytes, so the
 * declared length is the limit check and the body is read straight from the socket
 * (@hono/node-server's fast path). Without one (chunked), bytes are counted as they arrive.
 * hono's bodyLimit was not used: it reads `req.raw.body`, which makes @hono/node-server build a
 * full web Request, AbortController and ReadableStream for every POST (measured: ~8% of a
 * refresh's server CPU).
 */
export async function readLimitedText(
  c: Context<AppEnv>,
  maxBytes: number,
): Promise<string> {
  try {
    return await readText(c, maxBytes);
  } catch (err) {
    if (err instanceof OAuthError) throw err;
    // The client closed the connection (or broke the chunking) before the body ended: its fault,
    // and nobody is left to answer; a 400 keeps it out of the server-error log.
    throw new OAuthError(
      "invalid_request",
      "The request body could not be read to its end",
    );
  }
}

async function readText(c: Context<AppEnv>, maxBytes: number): Promise<string> {
  const declared = c.req.header("content-length");
  if (
    declared !== undefined &&
    c.req.header("transfer-encoding") === undefined
  ) {
    if (Number(declared) > maxBytes) throw tooLarge(maxBytes);
    return c.req.text();
  }
  const stream = c.req.raw.body;
  if (!stream) return "";
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, size).toString("utf8");
}

/**
 * `nullable`: fields whose JSON `null` reaches the route as null (normaliseFields); for every
 * other field a null is no value at all.
 */
export function readBody(
  options: { maxBytes?: number; nullable?: readonly FieldName[] } = {},
): MiddlewareHandler<AppEnv> {
  const maxBytes = options.maxBytes ?? LINK_BODY_LIMIT;
  return async function parseBody(c, next) {
    const type = mediaType(c.req.header("content-type"));
    let body: unknown;
    if (type === "application/json" || type.endsWith("+json")) {
      const text = await readLimitedText(c, maxBytes);
      try {
        body = text.trim() === "" ? {} : JSON.parse(text);
      } catch {
        throw new OAuthError("invalid_request", "The body is not valid JSON");
      }
      assertJsonDepth(body);
    } else if (type === "application/x-www-form-urlencoded") {
      const params = new URLSearchParams(await readLimitedText(c, maxBytes));
      body = {} as Record<string, string>;
      for (const key of new Set(params.keys())) {
        const values = params.getAll(key);
        // RFC 6749 §3.1: parameters must not be repeated.
        if (values.length > 1)
          throw new OAuthError(
            "invalid_request",
            `${key} is given more than once`,
          );
        (body as Record<string, string>)[key] = values[0]!;
      }
    } else {
      throw new OAuthError(
        "unsupported_media_type",
        "Send application/json or application/x-www-form-urlencoded",
      );
    }
    if (typeof body !== "object" || body === null || Array.isArray(body))
      throw new OAuthError("invalid_request", "The body must be a JSON object");
    assertSafeValue(body, "the body");
    c.set("fields", normaliseFields(body as Record<string, unknown>, options.nullable));
    await next();
  };
}
