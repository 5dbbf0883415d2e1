import { afterEach, describe, expect, it, vi } from "vitest";
import { api, ApiError, errorMessage, toApiError } from "./api.js";

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("toApiError", () => {
  it("reads our {error, error_description} bodies", () => {
    const err = toApiError(400, { error: "invalid_request", error_description: "client_id is required", redirectTo: "https://x" });
    expect(err).toMatchObject({ status: 400, error: "invalid_request", description: "client_id is required" });
    expect(err.body.redirectTo).toBe("https://x");
  });

  it("reads better-auth's {code, message} bodies", () => {
    const err = toApiError(401, { code: "INVALID_EMAIL_OR_PASSWORD", message: "Invalid email or password" });
    expect(err).toMatchObject({ error: "INVALID_EMAIL_OR_PASSWORD", description: "Invalid email or password" });
  });

  it("falls back to a generic message", () => {
    expect(toApiError(502, null)).toMatchObject({ error: "server_error", description: "Something went wrong. Please try again." });
  });
});

describe("api", () => {
  it("sends JSON with same-origin credentials and returns the parsed body", async () => {
    const fetchMock = vi.fn(async () => new Response(JSON.stringify({ ok: 1 }), { status: 200 }));
    vi.stubGlobal("fetch", fetchMock);
    await expect(api.post("/api/x", { a: 1 })).resolves.toEqual({ ok: 1 });
    expect(fetchMock).toHaveBeenCalledWith("/api/x", {
      method: "POST",
      credentials: "same-origin",
      headers: { Accept: "application/json", "Content-Type": "application/json" },
      body: '{"a":1}',
    });
  });

  it("throws an ApiError carrying the server's error", async () => {
    vi.stubGlobal("fetch", async () => new Response('{"error":"not_found","error_description":"No such link"}', { status: 404 }));
    const err = await api.delete("/api/me/links/1").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(errorMessage(err)).toBe("No such link");
  });

  it("reports network failures", async () => {
    vi.stubGlobal("fetch", async () => {
      throw new TypeError("fetch failed");
    });
    await expect(api.get("/api/x")).rejects.toMatchObject({ status: 0, error: "network_error" });
  });
});
