import { describe, expect, it } from "vitest";
import { parseTrustedProxy, type TrustedProxy } from "../config.js";
import { addressBucket, clientAddressResolver, parseAddress } from "./client-address.js";

const proxies = (...entries: string[]): TrustedProxy[] => entries.map((e) => parseTrustedProxy(e)!);

describe("parseAddress", () => {
  it.each([
    ["203.0.113.7", "203.0.113.7"],
    [" 203.0.113.7 ", "203.0.113.7"],
    ["203.0.113.7:5123", "203.0.113.7"],
    ["2001:DB8::1", "2001:db8::1"],
    ["[2001:db8::1]", "2001:db8::1"],
    ["[2001:db8::1]:443", "2001:db8::1"],
    ["::ffff:203.0.113.7", "203.0.113.7"],
    ["0:0:0:0:0:ffff:203.0.113.7", "203.0.113.7"],
    ["unknown", null],
    ["", null],
    ["203.0.113.256", null],
    ["_hidden", null],
  ])("%j → %j", (raw, expected) => {
    expect(parseAddress(raw)).toBe(expected);
  });
});

describe("clientAddressResolver", () => {
  it("without trusted proxies returns the peer and ignores X-Forwarded-For", () => {
    const resolve = clientAddressResolver([]);
    expect(resolve("192.0.2.10", "203.0.113.7")).toBe("192.0.2.10");
    expect(resolve("::ffff:192.0.2.10", undefined)).toBe("192.0.2.10");
    expect(resolve(null, "203.0.113.7")).toBeNull();
  });

  it("ignores X-Forwarded-For from a peer that is not trusted", () => {
    const resolve = clientAddressResolver(proxies("10.0.0.0/8"));
    expect(resolve("192.0.2.10", "203.0.113.7")).toBe("192.0.2.10");
  });

  it("behind a trusted peer takes the right-most address that is not trusted", () => {
    const resolve = clientAddressResolver(proxies("10.0.0.0/8", "fd00::/8"));
    expect(resolve("10.0.0.2", "203.0.113.7")).toBe("203.0.113.7");
    // The client wrote the left-most entries itself: they prove nothing.
    expect(resolve("10.0.0.2", "1.2.3.4, 203.0.113.7")).toBe("203.0.113.7");
    expect(resolve("10.0.0.2", "1.2.3.4, 203.0.113.7, 10.1.1.1")).toBe("203.0.113.7");
    expect(resolve("fd00::2", "2001:db8::5, fd12::1")).toBe("2001:db8::5");
    // No X-Forwarded-For: the proxy itself (e.g. its health check).
    expect(resolve("10.0.0.2", undefined)).toBe("10.0.0.2");
    // Every hop trusted: the farthest one.
    expect(resolve("10.0.0.2", "10.9.9.9, 10.1.1.1")).toBe("10.9.9.9");
    // Junk where an address should be: stop at the last trusted hop.
    expect(resolve("10.0.0.2", "203.0.113.7, junk, 10.1.1.1")).toBe("10.1.1.1");
    expect(resolve("10.0.0.2", "junk")).toBe("10.0.0.2");
  });

  it("matches an IPv4-mapped IPv6 peer against IPv4 entries", () => {
    const resolve = clientAddressResolver(proxies("10.0.0.2"));
    expect(resolve("::ffff:10.0.0.2", "203.0.113.7")).toBe("203.0.113.7");
    expect(resolve("::ffff:10.0.0.3", "203.0.113.7")).toBe("10.0.0.3");
  });
});

describe("addressBucket", () => {
  it("keys IPv4 by address and IPv6 by its /64", () => {
    expect(addressBucket("203.0.113.7")).toBe("203.0.113.7");
    expect(addressBucket("2001:db8:1:2:aaaa::1")).toBe("2001:db8:1:2::/64");
    expect(addressBucket("2001:db8:1:2:ffff:ffff:ffff:ffff")).toBe("2001:db8:1:2::/64");
    expect(addressBucket("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(addressBucket("::1")).toBe("0:0:0:0::/64");
    expect(addressBucket("64:ff9b::203.0.113.7")).toBe("64:ff9b:0:0::/64");
    expect(addressBucket(null)).toBe("unknown");
  });
});
