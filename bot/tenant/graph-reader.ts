import type { TokenCredential } from '@azure/identity';
import type { Logger } from 'pino';
import { cleanText } from '../intake/clean-text.js';
import { concurrencyLimit } from './graph/concurrency-limit.js';
import { graphCaller, type GraphCaller } from './graph/graph-call.js';
import { createGraphClient } from './graph/graph-client.js';
import { findCandidates } from './graph/find-candidates.js';
import { mapCaPolicies } from './graph/map-ca-policies.js';
import { mapInitialDomain } from './graph/map-initial-domain.js';
import { readAccount } from './graph/read-account.js';
import { SectionCache, type Loaded } from './graph/section-cache.js';
import { keepFor, unknownSection } from './graph/section-failure.js';
import { tenantBuckets, type TenantBuckets } from './graph/token-bucket.js';
import type { LogsReader } from './logs-reader.js';
import type { TenantReader } from './tenant-reader.js';
import type { CaPolicy, Known, SignInRow, SnapshotAccount, TenantSnapshot } from './tenant-snapshot.js';

export interface GraphTenantReaderOptions {
  credential: TokenCredential;
  tenantId: string;
  /** GRAPH_ENDPOINT (national clouds, tests); https://graph.microsoft.com when unset. */
  graphEndpoint?: string;
  /** Sign-ins come from Log Analytics; without it the snapshot's signIns section says why it is unknown. */
  logs?: LogsReader;
  now: () => Date;
  /** How long each section read is reused (default 5 minutes). */
  cacheTtlMs?: number;
  logger?: Logger;
  /** How far back the snapshot's sign-ins reach (default 90 days, one drill cycle). */
  signInLookbackMs?: number;
  /** Graph requests in flight at once (default 8). */
  maxConcurrency?: number;
}

export const DEFAULT_CACHE_TTL_MS = 5 * 60_000;
const DEFAULT_SIGN_IN_LOOKBACK_MS = 90 * 24 * 3_600_000;
const ORGANIZATION_PERMISSION = 'Organization.Read.All (or Directory.Read.All)';
const POLICY_PERMISSION = 'Policy.Read.All';
const NO_LOGS: Known<SignInRow[]> = {
  ok: false,
  reason: 'LOG_ANALYTICS_WORKSPACE_ID is not set: sign-ins are read from the Log Analytics workspace that the Entra diagnostic setting sends SigninLogs to.',
};

/**
 * The monitored tenant through Microsoft Graph v1.0 (read-only application permissions) and Log
 * Analytics. One organization read and one Conditional Access list per snapshot, shared by every
 * account; every section is cached for `cacheTtlMs`; CA and signInActivity reads are paced per
 * tenant. A refused or failed read becomes that section's reason: `snapshot()` never throws.
 */
export function graphTenantReader(options: GraphTenantReaderOptions): TenantReader {
  const { tenantId, now, logger, logs } = options;
  const graph = graphCaller(createGraphClient(options.credential, options.graphEndpoint), concurrencyLimit(options.maxConcurrency ?? 8));
  const cache = new SectionCache(now, options.cacheTtlMs ?? DEFAULT_CACHE_TTL_MS);
  const buckets = tenantBuckets(tenantId);
  const lookbackMs = options.signInLookbackMs ?? DEFAULT_SIGN_IN_LOOKBACK_MS;

  async function take(accounts: readonly string[]): Promise<TenantSnapshot> {
    const takenAt = now();
    const requested = uniqueAccounts(accounts);
    const [initialDomain, conditionalAccess, read, candidates] = await Promise.all([
      cache.get('organization', () => readInitialDomain(graph)),
      cache.get('conditionalAccess', () => readConditionalAccess(graph, buckets)),
      Promise.all(requested.map((account) => readAccount({ graph, cache, buckets, logger }, account))),
      requested.length === 0 ? cache.get('candidates', () => findCandidates(graph)) : Promise.resolve(undefined),
    ]);
    const signIns = logs ? await snapshotSignIns(logs, read, new Date(takenAt.getTime() - lookbackMs), takenAt) : NO_LOGS;
    const snapshot: TenantSnapshot = {
      schema: 'glasswatch.snapshot.v1',
      tenantId,
      takenAt: takenAt.toISOString(),
      source: 'graph',
      initialDomain,
      accounts: read,
      conditionalAccess,
      signIns,
    };
    return candidates === undefined ? snapshot : { ...snapshot, candidates };
  }

  function snapshotSignIns(reader: LogsReader, read: readonly SnapshotAccount[], since: Date, until: Date): Promise<Known<SignInRow[]>> {
    // Each account by every name the logs may use: as configured, its UPN and its object id.
    const names = uniqueAccounts(read.flatMap((a) => [a.requested, ...(a.user.ok && a.user.value ? [a.user.value.userPrincipalName, a.user.value.id] : [])]));
    const key = `signIns:${names.map((n) => n.toLowerCase()).sort().join(',')}`;
    return cache.get(key, async () => {
      const section = await reader.signIns(names, since, until);
      return { section, keep: section.ok ? 'answer' : section.permission ? 'refusal' : 'retry' };
    });
  }

  return {
    kind: 'graph',
    async snapshot(accounts) {
      try {
        return await take(accounts);
      } catch (error) {
        // Every section reader answers instead of throwing; this is the last line, never a crash.
        const reason = `Glasswatch failed while reading the tenant: ${cleanText(error instanceof Error ? error.message : String(error), 300) ?? 'unknown error'}`;
        logger?.error({ err: error }, 'tenant snapshot failed');
        return failedSnapshot(tenantId, now(), accounts, reason);
      }
    },
    async signIns(accounts, since, until) {
      if (!logs) return NO_LOGS;
      try {
        return await logs.signIns(accounts, since, until);
      } catch (error) {
        return { ok: false, reason: `The sign-in query failed: ${cleanText(error instanceof Error ? error.message : String(error), 300) ?? 'unknown error'}` };
      }
    },
  };
}

async function readInitialDomain(graph: GraphCaller): Promise<Loaded<Known<string>>> {
  const outcome = await graph.get('/organization?$select=id,verifiedDomains');
  if (!outcome.ok) return { section: unknownSection(outcome, 'the organization (its verified domains)', ORGANIZATION_PERMISSION), keep: keepFor(outcome) };
  const domain = mapInitialDomain(outcome.body);
  return domain === undefined
    ? { section: { ok: false, reason: 'The organization lists no initial (*.onmicrosoft.com) domain among its verified domains.' }, keep: 'refusal' }
    : { section: { ok: true, value: domain }, keep: 'answer' };
}

async function readConditionalAccess(graph: GraphCaller, buckets: TenantBuckets): Promise<Loaded<Known<CaPolicy[]>>> {
  // Graph allows one Conditional Access request per second per tenant; wait for the turn, never drop.
  await buckets.conditionalAccess.take();
  const outcome = await graph.getAll('/identity/conditionalAccess/policies');
  if (!outcome.ok) return { section: unknownSection(outcome, 'Conditional Access policies', POLICY_PERMISSION), keep: keepFor(outcome) };
  const mapped = mapCaPolicies(outcome.values);
  return { section: mapped, keep: mapped.ok ? 'answer' : 'retry' };
}

/** Configured accounts, once each (UPNs and ids compare case-insensitively), blanks dropped. */
function uniqueAccounts(accounts: readonly string[]): string[] {
  const seen = new Set<string>();
  return accounts
    .map((a) => a.trim())
    .filter((a) => {
      const key = a.toLowerCase();
      if (a === '' || seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}

function failedSnapshot(tenantId: string, at: Date, accounts: readonly string[], reason: string): TenantSnapshot {
  const unknown = { ok: false as const, reason };
  return {
    schema: 'glasswatch.snapshot.v1',
    tenantId,
    takenAt: at.toISOString(),
    source: 'graph',
    initialDomain: unknown,
    accounts: uniqueAccounts(accounts).map((requested) => ({ requested, user: unknown, signInActivity: unknown, methods: unknown, roles: unknown, memberOf: unknown })),
    conditionalAccess: unknown,
    signIns: unknown,
  };
}
