import { Agent, request } from 'node:http';

export interface HttpResult {
  status: number;
  body: string;
  retryAfter?: string;
  /** performance.now() when the request was handed to the socket and when the response ended. */
  startedAt: number;
  endedAt: number;
}

const REQUEST_TIMEOUT_MS = 15_000;

/** A keep-alive agent sized for `sockets` concurrent requests; loopback only. */
export function keepAliveAgent(sockets: number): Agent {
  return new Agent({ keepAlive: true, maxSockets: sockets, maxFreeSockets: sockets });
}

/** POSTs a JSON body with node:http; rejects on a network error or after 15 s without an answer. */
export function postJson(agent: Agent, url: URL, body: string): Promise<HttpResult> {
  assertLoopback(url);
  return new Promise((resolve, reject) => {
    const startedAt = performance.now();
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
            retryAfter: res.headers['retry-after'],
            startedAt,
            endedAt: performance.now(),
          }),
        );
        res.on('error', reject);
      },
    );
    req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new Error(`no answer within ${REQUEST_TIMEOUT_MS} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

/** GET a text body (metrics, health) without keep-alive. */
export async function getText(url: URL): Promise<{ status: number; body: string }> {
  assertLoopback(url);
  const response = await fetch(url, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  return { status: response.status, body: await response.text() };
}

/** The benchmarks only ever talk to this machine. */
export function assertLoopback(url: URL): void {
  if (url.hostname !== '127.0.0.1' && url.hostname !== 'localhost' && url.hostname !== '[::1]') {
    throw new Error(`benchmarks only talk to loopback addresses, not ${url.hostname}`);
  }
}
