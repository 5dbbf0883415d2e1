import { describe, expect, it } from "vitest";
import { safeRedirectTarget } from "./safe-redirect.js";

describe("safeRedirectTarget", () => {
  it.each([
    "/",
    "/settings/integrations",
    "/ok?a=1&b=2",
    "/settings/link/karabast?response_type=code&client_id=x&scope=decks+email+profile+teams&state=a%2Fb",
    "/%5Cevil",
    "/x#section",
  ])("allows the same-origin path %j unchanged", (value) => {
    expect(safeRedirectTarget(value)).toBe(value);
  });

  it.each([
    "//evil.example",
    "//evil.example/path",
    "https://evil.example",
    "http://evil.example/",
    "/\\evil",
    "\\\\evil.example",
    "/x\\y",
    "javascript:alert(1)",
    "  /x",
    " /x",
    "\t/x",
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r/evil.example",
    "/\u0000x",
    "x/y",
    "",
    "?redirect=/x",
    "#/x",
  ])("rejects %j", (value) => {
    expect(safeRedirectTarget(value)).toBe("/");
  });

  it.each([undefined, null, 42, {}, ["/x"], true])("rejects the non-string %j", (value) => {
    expect(safeRedirectTarget(value)).toBe("/");
  });
});
