import { GraphError, type Client } from '@microsoft/microsoft-graph-client';
import { cleanText } from '../../intake/clean-text.js';
import type { Limited } from './concurrency-limit.js';

export type GraphFailureKind = 'denied' | 'not-found' | 'transient' | 'token' | 'other';

export interface GraphFailure {
  ok: false;
  kind: GraphFailureKind;
  /** HTTP status; -1 when no response came back (token or network failure). */
  status: number;
  code: string;
  message: string;
}

export type GraphOutcome = { ok: true; body: unknown } | GraphFailure;
export type GraphListOutcome = { ok: true; values: unknown[] } | GraphFailure;

export interface GraphCaller {
  get(url: string): Promise<GraphOutcome>;
  /** Every page of a collection, following @odata.nextLink; a failure on any page fails the whole list. */
  getAll(url: string, maxPages?: number): Promise<GraphListOutcome>;
}

const TOKEN_ERRORS = new Set(['AuthenticationError', 'CredentialUnavailableError', 'AggregateAuthenticationError']);
const DEFAULT_MAX_PAGES = 50;

/** GET requests through the Graph client that answer an outcome instead of throwing. */
export function graphCaller(client: Client, limit: Limited): GraphCaller {
  const get = (url: string): Promise<GraphOutcome> =>
    limit(async () => {
      try {
        const body: unknown = await client.api(url).get();
        return { ok: true, body };
      } catch (error) {
        return graphFailure(error);
      }
    });

  return {
    get,
    async getAll(url, maxPages = DEFAULT_MAX_PAGES) {
      const values: unknown[] = [];
      let next: string | undefined = url;
      for (let page = 0; next !== undefined; page++) {
        if (page >= maxPages) {
          // A truncated list could hide the policy or group that matters: report it, never guess.
          return { ok: false, kind: 'other', status: 200, code: 'TooManyPages', message: `more than ${maxPages} pages` };
        }
        const outcome = await get(next);
        if (!outcome.ok) return outcome;
        values.push(...arrayField(outcome.body, 'value'));
        next = stringField(outcome.body, '@odata.nextLink');
      }
      return { ok: true, values };
    },
  };
}

export function graphFailure(error: unknown): GraphFailure {
  const status = error instanceof GraphError ? error.statusCode : -1;
  const name = error instanceof Error ? error.name : 'Error';
  const code = (error instanceof GraphError ? error.code : null) ?? name;
  const message = cleanText(error instanceof Error ? error.message : String(error), 300) ?? 'no detail';
  return { ok: false, kind: kindOf(status, code), status, code: cleanText(code, 100) ?? 'unknown', message };
}

function kindOf(status: number, code: string): GraphFailureKind {
  if (status === 401 || status === 403) return 'denied';
  if (status === 404) return 'not-found';
  if (TOKEN_ERRORS.has(code)) return 'token';
  if (status === -1 || status === 408 || status === 429 || status >= 500) return 'transient';
  return 'other';
}

export function arrayField(body: unknown, name: string): unknown[] {
  if (typeof body !== 'object' || body === null) return [];
  const value: unknown = (body as Record<string, unknown>)[name];
  return Array.isArray(value) ? value : [];
}

export function stringField(body: unknown, name: string): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const value: unknown = (body as Record<string, unknown>)[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}
