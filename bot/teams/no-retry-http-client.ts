import type { ConnectorClientOptions } from 'botframework-connector';
import { parseRetryAfter } from './retry-after.js';
import { SendError } from './teams-gateway.js';

type CompatHttpClient = NonNullable<ConnectorClientOptions['httpClient']>;
type CompatRequest = Parameters<CompatHttpClient['sendRequest']>[0];
type CompatResponse = Awaited<ReturnType<CompatHttpClient['sendRequest']>>;
type CompatHeaders = CompatResponse['headers'];

/** Statuses the outbox retries; answering them as errors keeps the SDK's own retry policy out of it. */
const RETRYABLE = new Set([408, 412, 429, 500, 502, 503, 504]);
const REQUEST_TIMEOUT_MS = 15_000;

/**
 * The connector client's transport. botbuilder's connector retries 429/5xx by itself (up to three
 * times, sleeping the full Retry-After, and the usual options to turn that off are ignored by its
 * compat layer). The outbox must own retries — pacing, jitter, durable backoff, honest 429 counts —
 * so this transport throws a SendError for a retryable status, which the SDK's retry step
 * passes straight through, and returns every other response as the SDK expects.
 */
export const noRetryHttpClient: CompatHttpClient = {
  async sendRequest(request: CompatRequest): Promise<CompatResponse> {
    const signals = [AbortSignal.timeout(REQUEST_TIMEOUT_MS)];
    if (request.abortSignal instanceof AbortSignal) signals.push(request.abortSignal);
    let response: Response;
    try {
      response = await fetch(request.url, {
        method: request.method,
        headers: request.headers.toJson({ preserveCase: true }),
        body: typeof request.body === 'string' ? request.body : undefined,
        signal: AbortSignal.any(signals),
      });
    } catch (error) {
      const reason = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
      throw new SendError(`network error reaching Teams: ${reason}`, undefined, undefined);
    }
    const bodyAsText = await response.text();
    if (RETRYABLE.has(response.status)) {
      const retryAfter = response.headers.get('retry-after');
      throw new SendError(
        `Teams answered ${response.status}${bodyAsText ? `: ${bodyAsText.slice(0, 200)}` : ''}`,
        response.status,
        retryAfter === null ? undefined : parseRetryAfter(retryAfter),
      );
    }
    return { request, status: response.status, headers: new PlainHeaders(response.headers.entries()), bodyAsText };
  },
};

/** The compat layer's HttpHeaders interface over a plain map (names compared case-insensitively). */
class PlainHeaders implements CompatHeaders {
  private readonly map = new Map<string, { name: string; value: string }>();

  constructor(entries: Iterable<[string, string]> = []) {
    for (const [name, value] of entries) this.set(name, value);
  }
  set(name: string, value: string | number): void {
    this.map.set(name.toLowerCase(), { name, value: String(value) });
  }
  get(name: string): string | undefined {
    return this.map.get(name.toLowerCase())?.value;
  }
  contains(name: string): boolean {
    return this.map.has(name.toLowerCase());
  }
  remove(name: string): boolean {
    return this.map.delete(name.toLowerCase());
  }
  rawHeaders(): Record<string, string> {
    return this.toJson();
  }
  headersArray(): { name: string; value: string }[] {
    return [...this.map.values()];
  }
  headerNames(): string[] {
    return [...this.map.values()].map((h) => h.name);
  }
  headerValues(): string[] {
    return [...this.map.values()].map((h) => h.value);
  }
  clone(): PlainHeaders {
    return new PlainHeaders([...this.map.values()].map((h): [string, string] => [h.name, h.value]));
  }
  toJson(options?: { preserveCase?: boolean }): Record<string, string> {
    const json: Record<string, string> = {};
    for (const [lower, h] of this.map) json[options?.preserveCase === true ? h.name : lower] = h.value;
    return json;
  }
}
