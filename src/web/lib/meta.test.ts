import { describe, expect, it } from "vitest";
import { metaSearchSchema, metaUrl } from "./meta.js";
import { handleHint } from "./profile.js";

describe("metaSearchSchema", () => {
  it("keeps valid filters and drops bad ones instead of failing the page", () => {
    expect(metaSearchSchema.parse({ format: "open", from: "2026-01-05", to: "2026-01-31" })).toEqual({ format: "open", from: "2026-01-05", to: "2026-01-31" });
    expect(metaSearchSchema.parse({ format: "sealed", from: "2026-02-30", to: 20260105 })).toEqual({});
  });
});

describe("metaUrl", () => {
  it("builds the API URL with the filters that are set", () => {
    expect(metaUrl("leaders", {})).toBe("/api/meta/leaders");
    expect(metaUrl("bases", { format: "premier", to: "2026-01-31" })).toBe("/api/meta/bases?format=premier&to=2026-01-31");
  });
});

describe("handleHint", () => {
  it("says what the server would refuse for length and characters (reserved words are the server's)", () => {
    expect(handleHint("Rey_Skywalker")).toBeNull();
    expect(handleHint("ab")).toBe("A handle has 3 to 30 characters.");
    expect(handleHint("-rey")).toBe("A handle cannot start with a hyphen.");
    expect(handleHint("rey sky")).toBe("Use only letters, digits, underscores (_) and hyphens (-).");
    expect(handleHint("admin")).toBeNull();
  });
});
