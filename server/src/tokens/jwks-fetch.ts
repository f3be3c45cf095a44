import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { BlockList, isIP } from 'node:net';

/** A JWKS larger than this is refused: a key set is a few kilobytes. */
const MAX_JWKS_BYTES = 64 * 1024;
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Addresses a JWKS fetch may not reach in production (SSRF): loopback, private, carrier-grade NAT,
 * link-local (cloud metadata at 169.254.169.254), unique-local, multicast and unspecified ones.
 */
const REFUSED = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 3],
] as const) {
  REFUSED.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['64:ff9b::', 96],
] as const) {
  REFUSED.addSubnet(network, prefix, 'ipv6');
}

/** Whether a resolved address is one a production server must not fetch from (IPv4-mapped IPv6 judged as IPv4). */
export function isRefusedAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return REFUSED.check(mapped[1]!, 'ipv4');
  const family = isIP(address);
  if (family === 0) return true;
  return REFUSED.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/**
 * A JWKS URL Porthole will fetch, or an error message: `https:` (in production, to a public
 * address: checked again on every connection, see `fetchJwks`), or `http:` to a loopback host
 * outside production, for development and tests. No credentials or fragment.
 */
export function checkJwksUrl(text: string, production: boolean): URL | string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'jwksUrl must be an absolute https: URL.';
  }
  if (url.username || url.password || url.hash) return 'jwksUrl may not carry credentials or a fragment.';
  if (url.protocol === 'https:') {
    if (production && isIP(url.hostname.replace(/^\[|\]$/g, '')) !== 0 && isRefusedAddress(url.hostname.replace(/^\[|\]$/g, ''))) {
      return 'jwksUrl must name a public address.';
    }
    return url;
  }
  if (url.protocol === 'http:' && !production && LOOPBACK_HOSTS.has(url.hostname)) return url;
  return production ? 'jwksUrl must be an https: URL.' : 'jwksUrl must be an https: URL (http: only to localhost outside production).';
}

/** What a JWKS fetch brought: the parsed body and the `Cache-Control` max-age, if any. */
export interface FetchedJwks {
  body: unknown;
  maxAgeSeconds: number | null;
}

/** Fetches a key set; rejects on any failure, and when `signal` aborts (the caller's timeout). */
export type JwksFetcher = (url: URL, signal: AbortSignal) => Promise<FetchedJwks>;

/** `Cache-Control`'s max-age (no-store and no-cache as 0); null without one. */
export function maxAgeOf(header: string | undefined): number | null {
  if (!header) return null;
  if (/(?:^|,)\s*no-(?:store|cache)\b/i.test(header)) return 0;
  const match = /(?:^|,)\s*max-age\s*=\s*"?(\d{1,10})"?/i.exec(header);
  return match ? Number(match[1]) : null;
}

/**
 * The server's JWKS fetcher: one GET, no redirects, at most MAX_JWKS_BYTES of JSON. In production
 * every address the host name resolves to is checked before connecting (the check runs inside the
 * connection's own lookup, so a name cannot resolve to a public address for a check and a private
 * one for the connection).
 */
export function jwksFetcher(production: boolean): JwksFetcher {
  const lookup = (hostname: string, options: LookupOptions, callback: (error: Error | null, address: string | LookupAddress[], family?: number) => void) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      const list = addresses as LookupAddress[];
      if (production && (list.length === 0 || list.some((entry) => isRefusedAddress(entry.address)))) {
        return callback(new Error('JWKS host resolves to a refused address'), '', 0);
      }
      if (options.all) return callback(null, list);
      return callback(null, list[0]!.address, list[0]!.family);
    });
  };
  return (url, signal) =>
    new Promise<FetchedJwks>((resolve, reject) => {
      const checked = checkJwksUrl(url.href, production);
      if (typeof checked === 'string') return reject(new Error(checked));
      const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
      const request = send(url, { method: 'GET', headers: { accept: 'application/json' }, lookup, signal }, (response: IncomingMessage) => {
        if (response.statusCode !== 200) {
          response.resume();
          return reject(new Error(`JWKS answered ${response.statusCode}`));
        }
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_JWKS_BYTES) request.destroy(new Error('JWKS too large'));
          else chunks.push(chunk);
        });
        response.on('error', reject);
        response.on('end', () => {
          try {
            resolve({ body: JSON.parse(Buffer.concat(chunks).toString('utf8')), maxAgeSeconds: maxAgeOf(response.headers['cache-control']) });
          } catch (error) {
            reject(error as Error);
          }
        });
      });
      request.on('error', reject);
      request.end();
    });
}
