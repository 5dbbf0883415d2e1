import { describe, expect, it } from "vitest";
import { redactDeep } from "./logger.js";

describe("redactDeep", () => {
  it("redacts credential-like keys at any depth and keeps the rest", () => {
    const out = redactDeep({
      headers: { authorization: "Basic abc", cookie: "s=1", "user-agent": "ua" },
      body: { access_token: "swba_x", refreshToken: "swbr_y", client_secret: "s", password: "p", nested: [{ linkToken: "l" }] },
      path: "/api/x",
    });
    expect(out).toEqual({
      headers: { authorization: "[redacted]", cookie: "[redacted]", "user-agent": "ua" },
      body: { access_token: "[redacted]", refreshToken: "[redacted]", client_secret: "[redacted]", password: "[redacted]", nested: [{ linkToken: "[redacted]" }] },
      path: "/api/x",
    });
  });
});
