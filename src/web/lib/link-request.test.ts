import { describe, expect, it } from "vitest";
import { ApiError } from "./api.js";
import { authorizeUrl, errorRedirect, httpUrlOrNull } from "./link-request.js";

describe("authorizeUrl", () => {
  it("passes the raw query through unchanged and appends the integration", () => {
    const raw = "?response_type=code&client_id=x&scope=decks+email+profile+teams&state=a~b%2f";
    expect(authorizeUrl(raw, "karabast")).toBe(
      "/api/integration/authorize?response_type=code&client_id=x&scope=decks+email+profile+teams&state=a~b%2f&integration=karabast",
    );
  });

  it("handles an empty query", () => {
    expect(authorizeUrl("", "karabast")).toBe("/api/integration/authorize?integration=karabast");
  });

  it("encodes the integration", () => {
    expect(authorizeUrl("?a=1", "x&y")).toBe("/api/integration/authorize?a=1&integration=x%26y");
  });
});

describe("errorRedirect", () => {
  it("follows an http(s) redirectTo from the error body", () => {
    const err = new ApiError(400, "invalid_scope", "bad scope", { redirectTo: "https://karabast.net/cb?error=invalid_scope" });
    expect(errorRedirect(err)).toBe("https://karabast.net/cb?error=invalid_scope");
  });

  it("ignores missing or non-http redirects", () => {
    expect(errorRedirect(new ApiError(400, "invalid_request", "x"))).toBeNull();
    expect(errorRedirect(new ApiError(400, "invalid_request", "x", { redirectTo: "javascript:alert(1)" }))).toBeNull();
    expect(errorRedirect(new Error("x"))).toBeNull();
    expect(httpUrlOrNull("/relative")).toBeNull();
  });
});
