import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { GLOBAL_ADMINISTRATOR_TEMPLATE_ID } from '../../bot/tenant/tenant-snapshot.js';
import { testTls } from './tls.js';

type Json = Record<string, unknown>;

/** The Graph routes Glasswatch reads, as the fake names them for faults and counts. */
export type GraphRoute =
  | 'organization'
  | 'user'
  | 'signInActivity'
  | 'methods'
  | 'assignmentInstances'
  | 'eligibilityInstances'
  | 'roleAssignments'
  | 'memberOf'
  | 'caPolicies';

export interface GraphScenario {
  organization: Json;
  /** Full user objects, signInActivity included; the fake applies $select. */
  users: Json[];
  /** Authentication methods by user id. */
  methods: Record<string, Json[]>;
  assignmentInstances: Json[];
  eligibilityInstances: Json[];
  roleAssignments: Json[];
  /** transitiveMemberOf by user id. */
  memberOf: Record<string, Json[]>;
  caPolicies: Json[];
  /** Collections are paged with @odata.nextLink after this many items. */
  pageSize: number;
}

export interface GraphRequestRecord {
  method: string;
  path: string;
  /** Decoded query string. */
  query: string;
  route: GraphRoute | 'unknown';
  /** Whether a bearer token came with the request (the SDK attaches it only to trusted https hosts). */
  authorized: boolean;
  status: number;
  /** The graph client's Retry-Attempt header on a retry. */
  retryAttempt?: string;
  at: number;
}

export interface FakeGraph {
  url: string;
  scenario: GraphScenario;
  requests: GraphRequestRecord[];
  /** Answer 403 on this route from now on. */
  forbid(route: GraphRoute, code?: string, message?: string): void;
  /** Answer the next request on this route with 429 and Retry-After. */
  throttleOnce(route: GraphRoute, retryAfterSeconds: number): void;
  countFor(route: GraphRoute): number;
  reset(): void;
  close(): Promise<void>;
}

const SAMPLES_PATH = fileURLToPath(new URL('../fixtures/graph-docs-samples/graph-v1.0-posture-samples.json', import.meta.url));
let samples: { request: { url: string }; response: { body: unknown } }[] | undefined;

/** A response body from Microsoft's Graph documentation samples, by the sample's URL after /v1.0 (a fresh copy). */
export function docsSample(urlAfterVersion: string): Json {
  samples ??= (JSON.parse(readFileSync(SAMPLES_PATH, 'utf8')) as { mocks: { request: { url: string }; response: { body: unknown } }[] }).mocks;
  const hit = samples.find((m) => m.request.url === `https://graph.microsoft.com/v1.0${urlAfterVersion}`);
  if (!hit || typeof hit.response.body !== 'object' || hit.response.body === null) throw new Error(`no docs sample for ${urlAfterVersion}`);
  return structuredClone(hit.response.body) as Json;
}

function sampleValues(urlAfterVersion: string): Json[] {
  const value = docsSample(urlAfterVersion).value;
  return Array.isArray(value) ? (value as Json[]) : [];
}

export const ALPHA = { id: '0b5a1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d', upn: 'bg-alpha@contoso.onmicrosoft.com' };
export const BRAVO = { id: '1c6b2d3e-4f5a-4b6c-9d7e-8f9a0b1c2d3e', upn: 'bg-bravo@contoso.onmicrosoft.com' };
/** A Global Administrator with a phone method: never a break-glass candidate. */
export const CHARLIE = { id: '2d7c3e4f-5a6b-4c7d-8e8f-9a0b1c2d3e4f', upn: 'charlie.admin@contoso.com' };
/** The group the docs' CA samples exclude. */
export const EXCLUDED_GROUP_ID = 'eedad040-3722-4bcb-bde5-bc7c857f4983';

/**
 * A tenant with two break-glass accounts, built from the docs samples' shapes: the samples' own
 * entries for other principals stay in, so filtering by principal matters.
 */
export function breakGlassScenario(): GraphScenario {
  // The docs' organization sample has no verifiedDomains; the real object does.
  const organization: Json = {
    ...sampleValues('/organization')[0],
    displayName: 'Contoso',
    verifiedDomains: [
      { capabilities: 'Email, OfficeCommunicationsOnline', isDefault: false, isInitial: true, name: 'contoso.onmicrosoft.com', type: 'Managed' },
      { capabilities: 'Email', isDefault: true, isInitial: false, name: 'contoso.com', type: 'Managed' },
    ],
  };
  const activity = sampleValues('/users?$select=displayName,userPrincipalName,signInActivity');
  const user = (who: { id: string; upn: string }, displayName: string, signInActivity: unknown): Json => ({
    id: who.id,
    accountEnabled: true,
    userPrincipalName: who.upn,
    displayName,
    onPremisesSyncEnabled: null,
    passwordPolicies: 'DisablePasswordExpiration',
    lastPasswordChangeDateTime: '2025-01-10T09:00:00Z',
    createdDateTime: '2024-06-01T08:00:00Z',
    signInActivity,
  });
  const [fido2, hello] = sampleValues('/me/authentication/methods');
  const password = { '@odata.type': '#microsoft.graph.passwordAuthenticationMethod', id: '28c10230-6103-485e-b985-444c60001490', password: null, createdDateTime: '2025-01-10T09:00:00Z' };
  const phone = { '@odata.type': '#microsoft.graph.phoneAuthenticationMethod', id: '3179e48a-750b-4051-897c-87b9720928f7', phoneNumber: '+1 2065555555', phoneType: 'mobile', smsSignInState: 'ready' };
  const [permanentGa] = sampleValues('/roleManagement/directory/roleAssignmentScheduleInstances');
  const gaFor = (principalId: string): Json => ({ ...permanentGa, id: `lAPpYvVpN0KRkAEhdxReE${principalId.slice(0, 8)}-1`, principalId, roleAssignmentOriginId: `origin-${principalId}` });
  const group = { ...(sampleValues('/users/*/transitiveMemberOf')[0] ?? {}), id: EXCLUDED_GROUP_ID, displayName: 'Break-glass accounts' };
  const directoryRole = { '@odata.type': '#microsoft.graph.directoryRole', id: '9ed3a0c4-53e1-498c-ab4d-2473476fde14', displayName: 'Global Administrator', roleTemplateId: GLOBAL_ADMINISTRATOR_TEMPLATE_ID };
  const plainAssignments = sampleValues('/roleManagement/directory/roleAssignments?$filter=principalId eq *');
  return {
    organization,
    users: [
      user(ALPHA, 'Break Glass Alpha', activity[0]?.signInActivity ?? null),
      user(BRAVO, 'Break Glass Bravo', activity[1]?.signInActivity ?? null),
      { ...user(CHARLIE, 'Charlie Admin', null), passwordPolicies: null },
    ],
    methods: {
      [ALPHA.id]: [{ ...fido2, passkeyType: 'deviceBound' }, password],
      [BRAVO.id]: [{ ...fido2, id: 'fido2-bravo', displayName: 'Blue key', passkeyType: 'deviceBound' }, ...(hello ? [hello] : []), password],
      [CHARLIE.id]: [phone, password],
    },
    assignmentInstances: [...sampleValues('/roleManagement/directory/roleAssignmentScheduleInstances'), gaFor(ALPHA.id), gaFor(BRAVO.id), gaFor(CHARLIE.id)],
    eligibilityInstances: sampleValues('/roleManagement/directory/roleEligibilityScheduleInstances'),
    roleAssignments: [
      ...plainAssignments,
      ...[ALPHA.id, BRAVO.id].map((principalId) => ({ ...plainAssignments[0], id: `ra-${principalId}`, principalId })),
    ],
    memberOf: { [ALPHA.id]: [group, directoryRole], [BRAVO.id]: [group, directoryRole], [CHARLIE.id]: [directoryRole] },
    caPolicies: sampleValues('/identity/conditionalAccess/policies'),
    pageSize: 100,
  };
}

function graphError(code: string, message: string): Json {
  return { error: { code, message, innerError: { date: new Date().toISOString(), 'request-id': crypto.randomUUID(), 'client-request-id': crypto.randomUUID() } } };
}

/**
 * Microsoft Graph v1.0 on https://127.0.0.1, answering the routes the tenant reader uses from a
 * scenario in the documentation samples' shapes, with faults on demand. `GET /_fake/requests`
 * (unauthenticated, not recorded) tells a child process how many requests came so far.
 */
export async function startFakeGraph(scenario: GraphScenario = breakGlassScenario()): Promise<FakeGraph> {
  const tls = testTls();
  const requests: GraphRequestRecord[] = [];
  const forbidden = new Map<GraphRoute, { code: string; message: string }>();
  const throttles = new Map<GraphRoute, number>();
  let base = '';

  const fake: FakeGraph = {
    url: '',
    scenario,
    requests,
    forbid(route, code = 'Authorization_RequestDenied', message = 'Insufficient privileges to complete the operation.') {
      forbidden.set(route, { code, message });
    },
    throttleOnce(route, seconds) {
      throttles.set(route, seconds);
    },
    countFor: (route) => requests.filter((r) => r.route === route).length,
    reset() {
      requests.length = 0;
      forbidden.clear();
      throttles.clear();
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };

  const server: Server = createServer({ cert: tls.cert, key: tls.key }, (req, res) => {
    const url = new URL(req.url ?? '/', base);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    if (url.pathname === '/_fake/requests') {
      send(200, { count: requests.length });
      return;
    }
    const path = decodeURIComponent(url.pathname.replace(/^\/v1\.0/, ''));
    const query = new URLSearchParams(url.search);
    const match = classify(path, query);
    const authorized = /^Bearer fake-token-\d+$/.test(req.headers.authorization ?? '');
    const retryAttempt = typeof req.headers['retry-attempt'] === 'string' ? req.headers['retry-attempt'] : undefined;
    const record: GraphRequestRecord = { method: req.method ?? 'GET', path, query: decodeURIComponent(url.search), route: match.route, authorized, status: 0, at: Date.now(), ...(retryAttempt ? { retryAttempt } : {}) };
    requests.push(record);
    const answer = (status: number, body: unknown, headers?: Record<string, string>): void => {
      record.status = status;
      send(status, body, headers);
    };

    if (!authorized) return answer(401, graphError('InvalidAuthenticationToken', 'Access token is empty.'));
    if (req.method !== 'GET') return answer(405, graphError('Request_BadRequest', 'The fake serves GET only.'));
    if (match.route === 'unknown') return answer(400, graphError('BadRequest', `Resource not found for the segment '${path.split('/')[1] ?? ''}'.`));
    const throttle = throttles.get(match.route);
    if (throttle !== undefined) {
      throttles.delete(match.route);
      return answer(429, graphError('TooManyRequests', 'Too many requests.'), { 'retry-after': String(throttle) });
    }
    const refusal = forbidden.get(match.route);
    if (refusal) return answer(403, graphError(refusal.code, refusal.message));

    const page = (items: Json[], context: string): void => {
      const skip = Number(query.get('$skiptoken') ?? '0');
      const slice = items.slice(skip, skip + fake.scenario.pageSize);
      const body: Json = { '@odata.context': `${base}/v1.0/$metadata#${context}`, value: slice };
      if (skip + fake.scenario.pageSize < items.length) {
        // Like Graph's: the request's own query (as sent) plus an opaque $skiptoken.
        const kept = url.search.replace(/^\?/, '').split('&').filter((p) => p !== '' && !/^(\$|%24)skiptoken=/i.test(p));
        body['@odata.nextLink'] = `${base}${url.pathname}?${[...kept, `$skiptoken=${skip + fake.scenario.pageSize}`].join('&')}`;
      }
      answer(200, body);
    };
    const s = fake.scenario;
    switch (match.route) {
      case 'organization':
        return answer(200, { '@odata.context': `${base}/v1.0/$metadata#organization`, value: [select(s.organization, query)] });
      case 'user':
      case 'signInActivity': {
        const user = findUser(s, match.key);
        if (!user) return answer(404, graphError('Request_ResourceNotFound', `Resource '${match.key}' does not exist or one of its queried reference-property objects are not present.`));
        return answer(200, { '@odata.context': `${base}/v1.0/$metadata#users/$entity`, ...select(user, query) });
      }
      case 'methods':
      case 'memberOf': {
        const user = findUser(s, match.key);
        if (!user) return answer(404, graphError('Request_ResourceNotFound', `Resource '${match.key}' does not exist or one of its queried reference-property objects are not present.`));
        const id = String(user.id);
        return match.route === 'methods' ? page(s.methods[id] ?? [], 'users/authentication/methods') : page(s.memberOf[id] ?? [], 'directoryObjects');
      }
      case 'assignmentInstances':
        return page(filtered(s.assignmentInstances, query), 'roleManagement/directory/roleAssignmentScheduleInstances');
      case 'eligibilityInstances':
        return page(filtered(s.eligibilityInstances, query), 'roleManagement/directory/roleEligibilityScheduleInstances');
      case 'roleAssignments':
        return page(filtered(s.roleAssignments, query), 'roleManagement/directory/roleAssignments');
      case 'caPolicies':
        return page(s.caPolicies, 'identity/conditionalAccess/policies');
    }
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.url = base;
  return fake;
}

function classify(path: string, query: URLSearchParams): { route: GraphRoute | 'unknown'; key: string } {
  const users = /^\/users(?:\/([^/]+)|\('([^']*(?:''[^']*)*)'\))(\/.*)?$/.exec(path);
  if (users) {
    const key = (users[1] ?? users[2] ?? '').replace(/''/g, "'");
    const rest = users[3] ?? '';
    if (rest === '') return { route: (query.get('$select') ?? '').includes('signInActivity') ? 'signInActivity' : 'user', key };
    if (rest === '/authentication/methods') return { route: 'methods', key };
    if (rest === '/transitiveMemberOf') return { route: 'memberOf', key };
    return { route: 'unknown', key };
  }
  const routes: Record<string, GraphRoute> = {
    '/organization': 'organization',
    '/roleManagement/directory/roleAssignmentScheduleInstances': 'assignmentInstances',
    '/roleManagement/directory/roleEligibilityScheduleInstances': 'eligibilityInstances',
    '/roleManagement/directory/roleAssignments': 'roleAssignments',
    '/identity/conditionalAccess/policies': 'caPolicies',
  };
  return { route: routes[path] ?? 'unknown', key: '' };
}

function findUser(scenario: GraphScenario, key: string): Json | undefined {
  const wanted = key.toLowerCase();
  return scenario.users.find((u) => String(u.id).toLowerCase() === wanted || String(u.userPrincipalName).toLowerCase() === wanted);
}

/** `$filter=principalId eq '…'` or `roleDefinitionId eq '…'`, the two filters the reader sends. */
function filtered(items: Json[], query: URLSearchParams): Json[] {
  const filter = query.get('$filter');
  if (filter === null) return items;
  const match = /^(principalId|roleDefinitionId) eq '([^']*)'$/.exec(filter.trim());
  if (!match) return [];
  const [, field = '', value = ''] = match;
  return items.filter((item) => String(item[field]).toLowerCase() === value.toLowerCase());
}

function select(item: Json, query: URLSearchParams): Json {
  const fields = query.get('$select');
  if (fields === null) return item;
  const wanted = new Set(fields.split(',').map((f) => f.trim()));
  return Object.fromEntries(Object.entries(item).filter(([k]) => wanted.has(k) || k === '@odata.type'));
}
