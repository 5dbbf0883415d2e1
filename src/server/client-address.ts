/**
 * Who is calling: the client address behind our reverse proxies (TRUSTED_PROXIES), as pure
 * functions tested without I/O. When the TCP peer is a trusted proxy, the client is the
 * right-most X-Forwarded-For address that is not itself trusted (each proxy appends the address
 * it received the request from; whatever is further left was written by the client and proves
 * nothing); otherwise the peer, and X-Forwarded-For is ignored. IPv4-mapped IPv6 addresses
 * (::ffff:1.2.3.4, how a dual-stack socket reports an IPv4 peer) are read as IPv4.
 */
import { BlockList, isIP } from "node:net";
import type { TrustedProxy } from "../config.js";

/** Reads an address as a proxy or socket may write it: plain, `[v6]`, with a port, IPv4-mapped. Null when it is not an IP address. */
export function parseAddress(raw: string): string | null {
  let s = raw.trim();
  const bracketed = /^\[([^\]]+)\](?::\d{1,5})?$/.exec(s);
  if (bracketed) s = bracketed[1]!;
  else if (/^[\d.]+:\d{1,5}$/.test(s)) s = s.slice(0, s.lastIndexOf(":"));
  const family = isIP(s);
  if (family === 4) return s;
  if (family !== 6) return null;
  const mapped = /^(?:0{0,4}:){0,5}:?ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(s);
  if (mapped && isIP(mapped[1]!) === 4) return mapped[1]!;
  return s.toLowerCase();
}

/** Builds `(peer, X-Forwarded-For) → client address` for a list of trusted proxies. */
export function clientAddressResolver(trustedProxies: readonly TrustedProxy[]): (peer: string | null, forwardedFor: string | undefined) => string | null {
  const trusted = new BlockList();
  for (const p of trustedProxies) trusted.addSubnet(p.address, p.prefix, p.family);
  const isTrusted = (ip: string) => trusted.check(ip, isIP(ip) === 4 ? "ipv4" : "ipv6");
  return function clientAddress(peer, forwardedFor) {
    const peerIp = peer === null ? null : parseAddress(peer);
    if (trustedProxies.length === 0 || peerIp === null || !forwardedFor || !isTrusted(peerIp)) return peerIp;
    let client = peerIp;
    const hops = forwardedFor.split(",");
    for (let i = hops.length - 1; i >= 0; i--) {
      const hop = parseAddress(hops[i]!);
      if (hop === null) break; // not an address: nothing left of it can be believed; the last trusted hop is the client
      client = hop;
      if (!isTrusted(hop)) break;
    }
    return client;
  };
}

/**
 * The key of per-address budgets: an IPv4 address, or the /64 of an IPv6 address (the smallest
 * block a provider gives one customer; one machine may use any address in it). "unknown" without one.
 */
export function addressBucket(ip: string | null): string {
  if (ip === null) return "unknown";
  if (isIP(ip) !== 6) return ip;
  return `${expandIpv6(ip).slice(0, 4).map((g) => g.toString(16)).join(":")}::/64`;
}

/** The eight 16-bit groups of an IPv6 address (zone id dropped, a trailing dotted IPv4 part read as two groups). */
function expandIpv6(ip: string): number[] {
  let s = ip.split("%")[0]!;
  const dotted = /(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    s = `${s.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [left, right] = s.split("::") as [string, string | undefined];
  const head = left ? left.split(":") : [];
  const tail = right === undefined ? [] : right ? right.split(":") : [];
  const groups = right === undefined ? head : [...head, ...Array<string>(8 - head.length - tail.length).fill("0"), ...tail];
  return groups.map((g) => parseInt(g, 16));
}
