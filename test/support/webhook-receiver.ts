import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

export interface Received {
  id: string;
  headers: IncomingHttpHeaders;
  body: string;
  json: { type: string; timestamp: string; data: Record<string, any> };
  /** The status answered. */
  status: number;
}

/**
 * A real HTTP receiver on the loopback that records every request and answers with `answer`
 * (200 by default). `verify` checks a request's signature with the `standardwebhooks` package.
 */
export async function webhookReceiver(answer: (request: { id: string; count: number }) => number | Promise<number> = () => 200) {
  const received: Received[] = [];
  const counts = new Map<string, number>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      const id = String(req.headers['webhook-id']);
      const count = (counts.get(id) ?? 0) + 1;
      counts.set(id, count);
      const body = Buffer.concat(chunks).toString('utf8');
      const status = await answer({ id, count });
      received.push({ id, headers: req.headers, body, json: JSON.parse(body), status });
      res.writeHead(status, { 'content-type': 'text/plain' }).end(`answered ${status}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return {
    url,
    received,
    /** Throws unless the request carries a valid Standard Webhooks signature made with `secret`. */
    verify(request: Received, secret: string) {
      return new Webhook(secret).verify(request.body, {
        'webhook-id': String(request.headers['webhook-id']),
        'webhook-timestamp': String(request.headers['webhook-timestamp']),
        'webhook-signature': String(request.headers['webhook-signature']),
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
