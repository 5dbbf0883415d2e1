import { describe, expect, it } from "vitest";
import { handleProblem, RESERVED_HANDLES } from "./handle.js";

describe("handleProblem", () => {
  it("accepts 3 to 30 letters, digits, underscores and hyphens not starting with a hyphen", () => {
    for (const ok of ["rey", "Rey_Skywalker", "r-2", "_x_", "a".repeat(30), "123", "Han-Solo_77", "x--"]) expect(handleProblem(ok), ok).toBeNull();
  });

  it("refuses the wrong length, naming the field", () => {
    for (const bad of ["", "ab", "a".repeat(31)]) expect(handleProblem(bad)).toBe("handle must be 3 to 30 characters long");
  });

  it("refuses other characters, and a leading hyphen", () => {
    for (const bad of ["a b", "rey!", "rey.skywalker", "réy", "rey/x", "rey\u0000", "<script>", "ab%"])
      expect(handleProblem(bad), bad).toBe("handle may contain only letters (a–z), digits, underscores (_) and hyphens (-)");
    expect(handleProblem("-rey")).toBe("handle must not start with a hyphen");
  });

  it("refuses reserved words in any case", () => {
    for (const word of ["api", "admin", "meta", "settings", "ADMIN", "Meta", "SeTtInGs", "sign-in"]) expect(handleProblem(word), word).toMatch(/^handle ".*" is reserved/);
    expect([...RESERVED_HANDLES].every((w) => w === w.toLowerCase())).toBe(true);
  });
});
