// Which address a request came from, and whether it came over HTTPS, when reverse proxies stand in front.
//
// X-Forwarded-For is a list each proxy appends its peer's address to, so only its right-hand end is
// written by proxies we run; everything to the left of that is whatever the client chose to send. The
// address that counts is the one the last trusted proxy saw: walk from the socket's peer leftwards through
// the list, past trusted proxies only. That is Express's `trust proxy` and nginx's `real_ip_recursive on`.
// TRUST_PROXY says which proxies are trusted: how many hops (`1` = one proxy in front) or which addresses
// (`10.0.0.5, 10.1.0.0/16`, `loopback`); src/config.ts parses it.
import { type BlockList, isIP } from 'node:net';

/**
 * Which proxies are trusted, as src/config.ts parses TRUST_PROXY (the same shape, declared here too so
 * this layer imports nothing).
 */
export type TrustProxy = { kind: 'hops'; hops: number } | { kind: 'list'; list: BlockList; text: string };

/** `::ffff:1.2.3.4` (an IPv4 peer on a dual-stack socket) is 1.2.3.4; anything else as given. */
function plain(address: string): string {
  return address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}

function trusted(trust: TrustProxy, address: string, index: number): boolean {
  if (trust.kind === 'hops') return index < trust.hops;
  const family = isIP(address);
  return family !== 0 && trust.list.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** Whether the socket's peer is a trusted proxy, so its X-Forwarded-* headers mean something. */
export function peerIsProxy(trust: TrustProxy, socketAddress: string): boolean {
  return trusted(trust, plain(socketAddress), 0);
}

/**
 * The client's address: the socket's peer if it is not a trusted proxy, else the address the last
 * trusted proxy saw. A hop that is not an IP address (a proxy that forwarded garbage) is not believed: the
 * address of the proxy that passed it on counts instead, so the request is still limited somewhere real.
 */
export function clientAddress(
  trust: TrustProxy,
  socketAddress: string,
  forwardedFor: string | undefined,
): string {
  const socket = plain(socketAddress);
  if (!forwardedFor || !trusted(trust, socket, 0)) return socket;
  const hops = forwardedFor.split(',');
  let current = socket;
  // hops is read from its right end: index 1 is the address our nearest proxy saw.
  for (let i = 1; i <= hops.length; i++) {
    const next = plain(hops[hops.length - i]!.trim());
    if (isIP(next) === 0) return current;
    current = next;
    if (!trusted(trust, current, i)) return current;
  }
  return current;
}

/**
 * Whether the request reached us over HTTPS: directly, or at a trusted proxy that says so in
 * X-Forwarded-Proto (its first value, as Express reads it; the header only decides whether HSTS is sent,
 * and browsers ignore HSTS received over plain HTTP, so a lying client gains nothing).
 */
export function viaHttps(
  trust: TrustProxy,
  direct: boolean,
  socketAddress: string,
  forwardedProto: string | undefined,
): boolean {
  if (direct) return true;
  if (!forwardedProto || !peerIsProxy(trust, socketAddress)) return false;
  return forwardedProto.split(',')[0]!.trim().toLowerCase() === 'https';
}
