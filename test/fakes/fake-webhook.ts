import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  path: string;
  body: unknown;
  at: number;
}

/** An outbound-webhook receiver (a pager, a SOAR) on loopback that records what it was sent. */
export interface FakeWebhook {
  url: string;
  received: ReceivedWebhook[];
  failNext(n: number, status: number): void;
  waitFor(predicate: (hook: ReceivedWebhook) => boolean, timeoutMs?: number): Promise<ReceivedWebhook>;
  close(): Promise<void>;
}

export async function startFakeWebhook(): Promise<FakeWebhook> {
  const received: ReceivedWebhook[] = [];
  let failures: { left: number; status: number } = { left: 0, status: 500 };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (failures.left > 0) {
        failures = { ...failures, left: failures.left - 1 };
        // Not chained: restify (loaded in the same test process) patches writeHead and returns nothing.
        res.writeHead(failures.status);
        res.end();
        return;
      }
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        body = Buffer.concat(chunks).toString('utf8');
      }
      received.push({ path: req.url ?? '/', body, at: Date.now() });
      // PagerDuty's Events API answers 202 with a small JSON body.
      res.writeHead(202, { 'content-type': 'application/json' });
      res.end('{"status":"success","message":"Event processed"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    failNext(n, status) {
      failures = { left: n, status };
    },
    async waitFor(predicate, timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const hit = received.find(predicate);
        if (hit) return hit;
        if (Date.now() > deadline) throw new Error(`fake webhook: nothing matching within ${timeoutMs} ms; received ${JSON.stringify(received.map((r) => r.body)).slice(0, 2000)}`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
