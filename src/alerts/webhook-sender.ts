import { lookup, type LookupAddress, type LookupAllOptions } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { hostOf, isPublicAddress } from './webhook-target.js';

/** At most this much of a response is read (and kept in the delivery log). */
export const RESPONSE_LIMIT = 64 * 1024;

export interface WebhookResult {
  /** The HTTP status, or null when no response came (refused, timed out, …). */
  status: number | null;
  body: string;
  error: string | null;
}

export interface SendOptions {
  timeoutMs: number;
  privateAddresses: boolean;
}

/**
 * Resolves a host as usual but refuses private addresses: checked when the connection is made,
 * so a name cannot resolve to a public address when the rule is saved and a private one now.
 */
function publicLookup(hostname: string, options: LookupAllOptions, callback: (error: Error | null, addresses: LookupAddress[] | string, family?: number) => void) {
  lookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, []);
    const refused = addresses.find(({ address }) => !isPublicAddress(address));
    if (refused) return callback(new Error(`${hostname} resolves to ${refused.address}, a private, loopback or link-local address`), []);
    if (options.all) return callback(null, addresses);
    callback(null, addresses[0].address, addresses[0].family);
  });
}

/**
 * POSTs a Standard Webhooks message (signed with the `standardwebhooks` package: webhook-id,
 * webhook-timestamp, webhook-signature). Redirects are not followed; the whole exchange is
 * bounded by `timeoutMs`, and at most RESPONSE_LIMIT of the answer is read.
 */
export function sendWebhook(target: string, secret: string, messageId: string, payload: string, options: SendOptions): Promise<WebhookResult> {
  const url = new URL(target);
  const host = hostOf(url);
  if (!options.privateAddresses && isIP(host) && !isPublicAddress(host)) {
    return Promise.resolve({ status: null, body: '', error: `${host} is a private, loopback or link-local address` });
  }
  const timestamp = new Date();
  const headers = {
    'content-type': 'application/json',
    'user-agent': 'Claimtrack-Webhooks/1',
    'webhook-id': messageId,
    'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
    'webhook-signature': new Webhook(secret).sign(messageId, timestamp, payload),
  };
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: WebhookResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.destroy();
      resolve(result);
    };
    const client = url.protocol === 'https:' ? https : http;
    const request = client.request(url, {
      method: 'POST',
      headers: { ...headers, 'content-length': Buffer.byteLength(payload) },
      ...(options.privateAddresses ? {} : { lookup: publicLookup as never }),
    });
    const timer = setTimeout(() => finish({ status: null, body: '', error: `no answer within ${options.timeoutMs} ms` }), options.timeoutMs);
    request.on('error', (error) => finish({ status: null, body: '', error: error.message }));
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const done = () => finish({ status: response.statusCode ?? null, body: Buffer.concat(chunks).toString('utf8'), error: null });
      response.on('data', (chunk: Buffer) => {
        chunks.push(chunk.subarray(0, RESPONSE_LIMIT - size));
        size += chunk.length;
        if (size >= RESPONSE_LIMIT) done();
      });
      response.on('end', done);
      response.on('error', done);
    });
    request.end(payload);
  });
}
