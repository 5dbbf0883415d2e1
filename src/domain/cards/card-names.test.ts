import { describe, expect, it } from "vitest";
import { UNKNOWN_CARD_ID } from "../games/game-result.js";
import { cardName } from "./card-names.js";

describe("cardName", () => {
  it("names catalogue cards, with their subtitle", () => {
    expect(cardName("9226435975")).toEqual({ id: "9226435975", name: "Han Solo", subtitle: "Worth the Risk" });
    expect(cardName("4301437393", "base")).toEqual({ id: "4301437393", name: "Thermal Oscillator" });
  });

  it("falls back to the id for cards missing from the catalogue", () => {
    expect(cardName("9999999999", "leader")).toEqual({ id: "9999999999", name: "9999999999" });
  });

  it("reads a leader or base the partner did not send as unknown, by kind", () => {
    expect(cardName(UNKNOWN_CARD_ID, "leader")).toEqual({ id: "unknown", name: "Unknown leader" });
    expect(cardName(UNKNOWN_CARD_ID, "base")).toEqual({ id: "unknown", name: "Unknown base" });
    expect(cardName(UNKNOWN_CARD_ID)).toEqual({ id: "unknown", name: "Unknown card" });
  });
});
