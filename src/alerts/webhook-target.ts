import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * Where webhooks may go. A receiver must be a public address over HTTPS: a URL that resolves
 * to a private, loopback, link-local or otherwise special address would let a rule's owner make
 * the service call inside its own network (SSRF). In development (NODE_ENV other than
 * production) private addresses are allowed, and plain http to loopback, for a receiver on
 * the developer's machine.
 */
export function isPublicAddress(address: string): boolean {
  return ipaddr.process(address).range() === 'unicast';
}

/** The URL's host as resolvers take it: an IPv6 literal without its brackets. */
export const hostOf = (url: URL) => url.hostname.replace(/^\[(.*)\]$/, '$1');

const isLoopbackHost = (host: string) => host === 'localhost' || (isIP(host) !== 0 && ipaddr.process(host).range() === 'loopback');

/** Why the URL cannot be a webhook (undefined: it can), checking the addresses it resolves to now. */
export async function webhookUrlProblem(input: string, privateAddresses: boolean): Promise<string | undefined> {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    return 'is not a URL';
  }
  if (url.username || url.password) return 'must not carry credentials';
  const host = hostOf(url);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && privateAddresses && isLoopbackHost(host))) {
    return privateAddresses ? 'must be https (or http to a loopback address, in development)' : 'must be https';
  }
  if (privateAddresses) return undefined;
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : (await lookup(host, { all: true })).map(({ address }) => address);
  } catch {
    return `names a host that does not resolve (${host})`;
  }
  const refused = addresses.find((address) => !isPublicAddress(address));
  return refused ? `resolves to ${refused}, a private, loopback or link-local address` : undefined;
}
