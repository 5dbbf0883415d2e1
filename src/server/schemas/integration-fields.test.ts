import { describe, expect, it } from "vitest";
import { normaliseFields } from "./integration-fields.js";

describe("normaliseFields", () => {
  it("reads null and empty values as absent (the deployed client sends null for what it lacks)", () => {
    expect(normaliseFields({ client_id: "karabast", external_user_id: null, refresh_token: "", handle: null })).toEqual({ clientId: "karabast" });
    // Absent spellings do not conflict with a given one.
    expect(normaliseFields({ client_id: null, clientId: "karabast" })).toEqual({ clientId: "karabast" });
  });

  it("keeps null for the fields a route names as nullable, and only for those", () => {
    expect(normaliseFields({ handle: null, publicStats: null, external_user_id: null }, ["handle"])).toEqual({ handle: null });
    expect(normaliseFields({ handle: "", publicStats: true }, ["handle"])).toEqual({ publicStats: true });
    expect(normaliseFields({ handle: "rey" }, ["handle"])).toEqual({ handle: "rey" });
    expect(normaliseFields({}, ["handle"])).toEqual({});
  });
});
