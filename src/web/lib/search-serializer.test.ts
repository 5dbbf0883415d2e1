import { describe, expect, it } from "vitest";
import { createRawPreservingSearch } from "./search-serializer.js";

describe("createRawPreservingSearch", () => {
  it("gives back the exact raw query for an equivalent object", () => {
    const { parseSearch, stringifySearch } = createRawPreservingSearch();
    const raw = "?response_type=code&client_id=x&scope=decks+email+profile+teams&state=a~b%2fc&n=007";
    const parsed = parseSearch(raw);
    expect(parsed).toMatchObject({ scope: "decks email profile teams", state: "a~b/c", n: "007" });
    expect(stringifySearch({ ...parsed })).toBe(raw);
  });

  it("writes new objects canonically", () => {
    const { stringifySearch } = createRawPreservingSearch();
    expect(stringifySearch({ redirect: "/a?b=c+d" })).toBe("?redirect=%2Fa%3Fb%3Dc%2Bd");
    expect(stringifySearch({})).toBe("");
  });

  it("round-trips a redirect value holding a full path and query", () => {
    const { parseSearch, stringifySearch } = createRawPreservingSearch();
    const target = "/settings/link/karabast?response_type=code&client_id=abc&scope=decks+email&karabast_user_id=k1";
    expect(parseSearch(stringifySearch({ redirect: target }))).toEqual({ redirect: target });
  });

  it("forgets the oldest entries beyond its bound", () => {
    const { parseSearch, stringifySearch } = createRawPreservingSearch();
    parseSearch("?first=a~");
    for (let i = 0; i < 60; i++) parseSearch(`?k${i}=v~`);
    expect(stringifySearch({ first: "a~" })).toBe("?first=a%7E");
    expect(stringifySearch({ k59: "v~" })).toBe("?k59=v~");
  });
});
