import { describe, expect, it } from "vitest";
import { hasErrors, validateCredentials } from "./credentials.js";

describe("validateCredentials", () => {
  it("accepts a complete sign-up", () => {
    const errors = validateCredentials({ name: "Leia", email: "leia@example.com", password: "12345678" }, "sign-up");
    expect(hasErrors(errors)).toBe(false);
  });

  it("requires at least 8 password characters", () => {
    expect(validateCredentials({ email: "a@b.co", password: "12345" }, "sign-in").password).toBe(
      "Password must be at least 8 characters.",
    );
  });

  it("rejects overlong passwords", () => {
    expect(validateCredentials({ email: "a@b.co", password: "x".repeat(129) }, "sign-in").password).toMatch(/at most 128/);
  });

  it("asks for a name only when signing up", () => {
    expect(validateCredentials({ name: "  ", email: "a@b.co", password: "12345678" }, "sign-up").name).toBe("Enter your name.");
    expect(validateCredentials({ email: "a@b.co", password: "12345678" }, "sign-in").name).toBeUndefined();
  });

  it("checks the email shape", () => {
    expect(validateCredentials({ email: "", password: "12345678" }, "sign-in").email).toBe("Enter your email address.");
    expect(validateCredentials({ email: "not-an-email", password: "12345678" }, "sign-in").email).toMatch(/valid email/);
  });
});
