import { lookup as dnsLookup } from "node:dns";
import type { LookupAddress, LookupOptions } from "node:dns";
import { BlockList, isIP } from "node:net";

// Server-side request forgery: a webhook URL is chosen by an admin, but the request goes out from inside
// the network. Unless WEBHOOK_ALLOW_PRIVATE_TARGETS is set, only public unicast addresses are allowed,
// checked when the URL is saved and again, on the address actually connected to, at every delivery.

export const MAX_URL_LENGTH = 2000;

const blocked = new BlockList();
for (const [net, prefix] of [
  ["0.0.0.0", 8], // "this network", unspecified
  ["10.0.0.0", 8],
  ["100.64.0.0", 10], // carrier-grade NAT
  ["127.0.0.0", 8],
  ["169.254.0.0", 16], // link-local (cloud metadata lives at 169.254.169.254)
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved, broadcast
] as const) {
  blocked.addSubnet(net, prefix, "ipv4");
}
for (const [net, prefix] of [
  ["::", 128], // unspecified
  ["::1", 128], // loopback
  ["64:ff9b::", 96], // NAT64: reaches IPv4 addresses, private ones included
  ["100::", 64], // discard
  ["2001:db8::", 32], // documentation
  ["fc00::", 7], // unique local
  ["fe80::", 10], // link-local
  ["fec0::", 10], // site-local (deprecated)
  ["ff00::", 8], // multicast
] as const) {
  blocked.addSubnet(net, prefix, "ipv6");
}

/** The IPv4 address inside an IPv4-mapped or -compatible IPv6 address (::ffff:10.0.0.1, ::a00:1), if any. */
function embeddedIpv4(address: string): string | undefined {
  // The URL parser writes every IPv6 address in one canonical, compressed, hexadecimal form.
  const canonical = new URL(`http://[${address}]`).hostname;
  const hex = /^\[::(?:ffff:)?([0-9a-f]{1,4}):([0-9a-f]{1,4})\]$/.exec(canonical);
  if (!hex) return undefined;
  const hi = parseInt(hex[1]!, 16);
  const lo = parseInt(hex[2]!, 16);
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}

/** True for an address a webhook may not reach without WEBHOOK_ALLOW_PRIVATE_TARGETS. */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return blocked.check(address, "ipv4");
  if (family === 6) {
    const v4 = embeddedIpv4(address);
    if (v4 !== undefined) return blocked.check(v4, "ipv4");
    return blocked.check(address, "ipv6");
  }
  return true;
}

/** What is wrong with a URL as a webhook target, before any lookup; undefined when nothing is. */
export function urlProblem(raw: string): string | undefined {
  if (raw.length > MAX_URL_LENGTH) return `must be at most ${MAX_URL_LENGTH} characters`;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return "must be an absolute http or https URL";
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return "must be an absolute http or https URL";
  if (url.username || url.password) return "must not hold a user name or password";
  if (url.hash) return "must not have a #fragment";
  return undefined;
}

/** The host name of a URL as the resolver wants it (IPv6 literals without their brackets). */
export function hostOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, "$1");
}

/**
 * Resolves the URL's host and checks every address it has: an error message when it does not resolve
 * or reaches a non-public address (and those are not allowed), else undefined.
 */
export async function targetProblem(raw: string, allowPrivate: boolean): Promise<string | undefined> {
  const problem = urlProblem(raw);
  if (problem) return problem;
  if (allowPrivate) return undefined;
  const host = hostOf(new URL(raw));
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : await resolveAll(host);
  } catch {
    return "its host does not resolve";
  }
  if (addresses.length === 0) return "its host does not resolve";
  if (addresses.some(isPrivateAddress)) {
    return "must not reach a loopback, private, link-local or other non-public address";
  }
  return undefined;
}

function resolveAll(host: string): Promise<string[]> {
  return new Promise((resolve, reject) =>
    dnsLookup(host, { all: true, verbatim: true }, (error, list) =>
      error ? reject(error) : resolve(list.map((a) => a.address)),
    ),
  );
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for http.request that refuses non-public addresses, so that the address connected to is
 * the one checked (a name that resolved to a public address when saved may resolve elsewhere now).
 * IP literals never reach a lookup; the sender checks those itself.
 */
export function guardedLookup(allowPrivate: boolean) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    dnsLookup(hostname, { ...options, all: true }, (error, list: LookupAddress[]) => {
      if (error) return callback(error, "", 0);
      const allowed = allowPrivate ? list : list.filter((a) => !isPrivateAddress(a.address));
      if (allowed.length === 0 || allowed.length < list.length) {
        const refused = new Error(`${hostname} resolves to a non-public address`) as NodeJS.ErrnoException;
        refused.code = "ENOTPUBLIC";
        return callback(refused, "", 0);
      }
      if (options.all) return callback(null, allowed);
      callback(null, allowed[0]!.address, allowed[0]!.family);
    });
  };
}
