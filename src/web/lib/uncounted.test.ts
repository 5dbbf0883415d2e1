import { describe, expect, it } from "vitest";
import { describeUncountedReason } from "./uncounted.js";

describe("describeUncountedReason", () => {
  it("puts every reason the server sends into words", () => {
    for (const reason of ["no_token", "invalid_token", "link_revoked", "token_expired", "token_user_mismatch"]) {
      const { title, explanation } = describeUncountedReason(reason);
      expect(title).not.toMatch(/_/);
      expect(explanation.length).toBeGreaterThan(20);
    }
    expect(describeUncountedReason("token_expired").title).toBe("Token expired");
  });

  it("has a generic sentence for a reason added later", () => {
    expect(describeUncountedReason("something_new").title).toBe("Not attributed");
  });
});
