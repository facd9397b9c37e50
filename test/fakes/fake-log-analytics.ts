import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { testTls } from './tls.js';

/** One sign-in as the fake stores it: the columns the reader's query projects. */
export interface FakeSignIn {
  CreatedDateTime: string;
  UserPrincipalName: string;
  UserId: string;
  AppId?: string;
  AppDisplayName?: string;
  IPAddress?: string;
  LocationDetails?: { city?: string; state?: string; countryOrRegion?: string };
  ResultType: string;
  ResultDescription?: string;
  ConditionalAccessStatus?: string;
  /** SigninLogs keeps this as a JSON array serialised to a string. */
  AuthenticationDetails?: string;
  AuthenticationMethod?: string;
  CorrelationId?: string;
  SourceTable: 'SigninLogs' | 'AADServicePrincipalSignInLogs';
}

export interface QueryRecord {
  workspaceId: string;
  query: string;
  timespan?: string;
  authorized: boolean;
  /** The accounts the query's `let accounts = dynamic([...])` names, as the fake read them back. */
  accounts: string[] | undefined;
  at: number;
}

export interface FakeLogAnalytics {
  /** The endpoint to configure (LOG_ANALYTICS_ENDPOINT): the origin; the reader adds /v1. */
  url: string;
  workspaceId: string;
  rows: FakeSignIn[];
  queries: QueryRecord[];
  /** Answer 403 InsufficientAccessError from now on. */
  forbid(): void;
  /** Answer with the rows plus a PartialError, as Log Analytics does when part of a query failed. */
  partialNext(): void;
  /** Forget queries and faults (rows stay). */
  reset(): void;
  close(): Promise<void>;
}

const COLUMNS: { name: keyof FakeSignIn; type: string }[] = [
  { name: 'CreatedDateTime', type: 'datetime' },
  { name: 'UserPrincipalName', type: 'string' },
  { name: 'UserId', type: 'string' },
  { name: 'AppId', type: 'string' },
  { name: 'AppDisplayName', type: 'string' },
  { name: 'IPAddress', type: 'string' },
  { name: 'LocationDetails', type: 'dynamic' },
  { name: 'ResultType', type: 'string' },
  { name: 'ResultDescription', type: 'string' },
  { name: 'ConditionalAccessStatus', type: 'string' },
  { name: 'AuthenticationDetails', type: 'string' },
  { name: 'AuthenticationMethod', type: 'string' },
  { name: 'CorrelationId', type: 'string' },
  { name: 'SourceTable', type: 'string' },
];

/**
 * The Log Analytics query API (`POST /v1/workspaces/{id}/query`) on https://127.0.0.1, answering in
 * the real REST shape `{tables:[{name:'PrimaryResult', columns, rows}]}` (dynamic values as JSON
 * strings, as the service sends them). It reads the accounts back out of the query's
 * `dynamic([...])` with JSON.parse, so a wrongly escaped value shows up as a wrong or missing account.
 */
export async function startFakeLogAnalytics(workspaceId = '5e2b9c7a-1d3f-4e6a-8b9c-0d1e2f3a4b5c'): Promise<FakeLogAnalytics> {
  const tls = testTls();
  const queries: QueryRecord[] = [];
  let forbidden = false;
  let partial = false;

  const fake: FakeLogAnalytics = {
    url: '',
    workspaceId,
    rows: [],
    queries,
    forbid() {
      forbidden = true;
    },
    partialNext() {
      partial = true;
    },
    reset() {
      queries.length = 0;
      forbidden = false;
      partial = false;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };

  const server: Server = createServer({ cert: tls.cert, key: tls.key }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const send = (status: number, body: unknown): void => {
        res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify(body));
      };
      const error = (status: number, code: string, message: string): void => send(status, { error: { message, code, correlationId: crypto.randomUUID() } });
      const match = /^\/v1\/workspaces\/([^/]+)\/query$/.exec(new URL(req.url ?? '/', 'https://fake').pathname);
      if (req.method !== 'POST' || !match) return error(404, 'PathNotFoundError', `The requested path does not exist: ${req.url ?? ''}`);
      let body: { query?: unknown; timespan?: unknown } = {};
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof body;
      } catch {
        return error(400, 'BadArgumentError', 'The request body is not JSON.');
      }
      const query = typeof body.query === 'string' ? body.query : '';
      const accounts = accountsIn(query);
      const authorized = /^Bearer fake-token-\d+$/.test(req.headers.authorization ?? '');
      queries.push({ workspaceId: match[1] ?? '', query, timespan: typeof body.timespan === 'string' ? body.timespan : undefined, authorized, accounts, at: Date.now() });
      if (!authorized) return error(401, 'AuthorizationRequiredError', 'Valid authentication was not provided');
      if (forbidden) return error(403, 'InsufficientAccessError', 'The provided credentials have insufficient access to perform the requested operation');
      if (match[1] !== workspaceId) return error(404, 'WorkspaceNotFoundError', `Workspace '${match[1] ?? ''}' could not be found`);
      if (accounts === undefined) return error(400, 'SemanticError', "A semantic error occurred: 'accounts' is not a valid dynamic array.");

      const wanted = new Set(accounts.map((a) => a.toLowerCase()));
      const range = timeRange(query);
      const rows = fake.rows
        .filter((r) => wanted.has(r.UserPrincipalName.toLowerCase()) || wanted.has(r.UserId.toLowerCase()))
        .filter((r) => range === undefined || (Date.parse(r.CreatedDateTime) >= range.since && Date.parse(r.CreatedDateTime) <= range.until))
        .sort((a, b) => b.CreatedDateTime.localeCompare(a.CreatedDateTime))
        .map((r) => COLUMNS.map(({ name }) => (name === 'LocationDetails' ? JSON.stringify(r.LocationDetails ?? {}) : (r[name] ?? ''))));
      const result: Record<string, unknown> = { tables: [{ name: 'PrimaryResult', columns: COLUMNS, rows }] };
      if (partial) {
        partial = false;
        result.error = { code: 'PartialError', message: 'There were some errors when processing your query.', details: [{ code: 'EngineError', message: 'Something went wrong processing your query on the server.' }] };
      }
      send(200, result);
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  fake.url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}

/** The JSON array inside the query's `let accounts = dynamic([...]);`, or undefined when it does not parse. */
export function accountsIn(query: string): string[] | undefined {
  const match = /^let accounts = dynamic\((\[.*\])\);$/m.exec(query);
  if (!match?.[1]) return undefined;
  try {
    const parsed: unknown = JSON.parse(match[1]);
    return Array.isArray(parsed) && parsed.every((a): a is string => typeof a === 'string') ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function timeRange(query: string): { since: number; until: number } | undefined {
  const since = /^let since = datetime\(([^)]+)\);$/m.exec(query)?.[1];
  const until = /^let until = datetime\(([^)]+)\);$/m.exec(query)?.[1];
  return since && until ? { since: Date.parse(since), until: Date.parse(until) } : undefined;
}
