import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { teamsErrorBody } from '../../test/fakes/fake-connector.js';
import { assertLoopback } from './http-client.js';

export interface FaultProxy {
  /** Use as the bot's serviceUrl: same path as the fake connector, this proxy's port. */
  url: string;
  /** From now on every call answers `status` as Teams does (with Retry-After), until `heal()`. */
  fail(status: number): void;
  heal(): void;
  /** Calls answered with an injected failure so far. */
  readonly failed: number;
  close(): Promise<void>;
}

/**
 * A time-switched outage in front of the fake Teams connector: the fake's own `failNext` counts
 * requests, while "Teams answers 503 for a minute" is a span of time. Healthy, it forwards verbatim.
 */
export async function startFaultProxy(targetUrl: string): Promise<FaultProxy> {
  const target = new URL(targetUrl);
  assertLoopback(target);
  let failing: number | undefined;
  let failed = 0;

  const forward = (req: IncomingMessage, res: ServerResponse) => {
    const upstream = request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', (error) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`fault-proxy: upstream failed: ${error.message}`);
    });
    req.pipe(upstream);
  };

  const server = createServer((req, res) => {
    if (failing === undefined) {
      forward(req, res);
      return;
    }
    const status = failing;
    failed += 1;
    req.resume();
    req.on('end', () => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'retry-after': '5' });
      res.end(JSON.stringify(teamsErrorBody(status)));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address: AddressInfo | string | null = server.address();
  if (address === null || typeof address === 'string') throw new Error('fault-proxy: server has no TCP address');
  const { port } = address;
  return {
    url: `http://127.0.0.1:${port}${target.pathname}`,
    fail: (status) => {
      failing = status;
    },
    heal: () => {
      failing = undefined;
    },
    get failed() {
      return failed;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
