import { describe, expect, it } from "vitest";
import { describeUserAgent, eventLabel, eventTone } from "./events.js";

describe("eventLabel", () => {
  it.each([
    ["link_requested", "Link requested"],
    ["link_approved", "Link approved"],
    ["link_denied", "Link declined"],
    ["link_confirmed", "Link confirmed by partner"],
    ["token_refreshed", "Tokens refreshed"],
    ["refresh_reuse_detected", "Old token replayed — link revoked"],
    ["unlinked_by_user", "Unlinked by you"],
    ["unlinked_by_partner", "Unlinked by partner"],
    ["token_rejected", "Token rejected"],
    ["client_auth_failed", "Partner authentication failed"],
  ])("words %s as %j", (event, label) => {
    expect(eventLabel(event)).toBe(label);
  });

  it("falls back to the name in words for events it does not know", () => {
    expect(eventLabel("scope_changed")).toBe("Scope changed");
    expect(eventLabel("")).toBe("Unknown event");
  });

  it("marks revocations and failures as dangerous", () => {
    expect(eventTone("refresh_reuse_detected")).toBe("danger");
    expect(eventTone("link_confirmed")).toBe("good");
    expect(eventTone("whatever")).toBe("neutral");
  });
});

describe("describeUserAgent", () => {
  it("names the browser and system", () => {
    expect(describeUserAgent("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36")).toBe(
      "Chrome on Linux",
    );
    expect(describeUserAgent("Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Safari/605.1.15")).toBe(
      "Safari on macOS",
    );
  });

  it("shortens anything else and keeps null", () => {
    expect(describeUserAgent("karabast-server/1.0")).toBe("karabast-server/1.0");
    expect(describeUserAgent("x".repeat(80))).toHaveLength(58);
    expect(describeUserAgent(null)).toBeNull();
  });
});
