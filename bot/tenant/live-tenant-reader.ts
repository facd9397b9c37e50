import type { Logger } from 'pino';
import { looksLikeGuid } from '../intake/looks-like-guid.js';
import { graphTenantReader } from './graph-reader.js';
import { logsReader, type LogsReader } from './logs-reader.js';
import { tenantCredential, type CredentialEnv } from './resolve-credential.js';
import type { TenantReader } from './tenant-reader.js';

export interface LiveTenantEnv extends CredentialEnv {
  GRAPH_ENDPOINT?: string;
  LOG_ANALYTICS_ENDPOINT?: string;
  LOG_ANALYTICS_WORKSPACE_ID?: string;
}

export interface LiveTenantOptions {
  logger?: Logger;
  cacheTtlMs?: number;
}

/** `logs` is there when LOG_ANALYTICS_WORKSPACE_ID is set (the alert enricher's reader); `reader.signIns` uses the same one. */
export type LiveTenantReader = { ok: true; reader: TenantReader; logs?: LogsReader } | { ok: false; message: string };

/**
 * The real tenant reader wired from the environment: @azure/identity credential, Graph reader and,
 * when LOG_ANALYTICS_WORKSPACE_ID is set, the Log Analytics reader. Answers a message naming the
 * variable to fix instead of throwing; reading itself happens later, in `snapshot()`.
 */
export function liveTenantReader(env: LiveTenantEnv, now: () => Date, options: LiveTenantOptions = {}): LiveTenantReader {
  const tenantId = env.AZURE_TENANT_ID?.trim();
  if (!tenantId) {
    return { ok: false, message: 'AZURE_TENANT_ID is not set: set it (with AZURE_CLIENT_ID and AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH) to read the monitored tenant, or pass a snapshot file.' };
  }
  const problems = [
    httpsUrlProblem('GRAPH_ENDPOINT', env.GRAPH_ENDPOINT),
    httpsUrlProblem('LOG_ANALYTICS_ENDPOINT', env.LOG_ANALYTICS_ENDPOINT),
    httpsUrlProblem('AZURE_AUTHORITY_HOST', env.AZURE_AUTHORITY_HOST),
  ].filter((p): p is string => p !== undefined);
  if (!env.AZURE_CLIENT_ID?.trim() && (env.AZURE_CLIENT_SECRET?.trim() || env.AZURE_CLIENT_CERTIFICATE_PATH?.trim())) {
    problems.push('AZURE_CLIENT_ID is missing: a client secret or certificate belongs to an app registration; set its Application (client) ID.');
  }
  const workspaceId = env.LOG_ANALYTICS_WORKSPACE_ID?.trim() || undefined;
  if (workspaceId !== undefined && !looksLikeGuid(workspaceId)) {
    problems.push('LOG_ANALYTICS_WORKSPACE_ID must be the workspace id, a GUID (Log Analytics workspace → Overview → Workspace ID).');
  }
  if (problems.length > 0) return { ok: false, message: problems.join(' ') };

  try {
    const credential = tenantCredential(env);
    if (credential === undefined) return { ok: false, message: 'AZURE_TENANT_ID is not set.' };
    const logs = workspaceId === undefined ? undefined : logsReader({ credential, workspaceId, endpoint: blankToUndefined(env.LOG_ANALYTICS_ENDPOINT), now, logger: options.logger });
    const reader = graphTenantReader({
      credential,
      tenantId,
      graphEndpoint: blankToUndefined(env.GRAPH_ENDPOINT),
      logs,
      now,
      cacheTtlMs: options.cacheTtlMs,
      logger: options.logger,
    });
    return logs === undefined ? { ok: true, reader } : { ok: true, reader, logs };
  } catch (error) {
    // @azure/identity validates the tenant id and certificate options as it constructs.
    return { ok: false, message: `The tenant credential could not be set up: ${error instanceof Error ? error.message : String(error)}` };
  }
}

function httpsUrlProblem(name: string, value: string | undefined): string | undefined {
  const trimmed = blankToUndefined(value);
  if (trimmed === undefined) return undefined;
  try {
    if (new URL(trimmed).protocol === 'https:') return undefined;
  } catch {
    return `${name} is not a URL; use e.g. ${example(name)}.`;
  }
  return `${name} must be an https URL (the Azure SDKs send tokens over https only); use e.g. ${example(name)}.`;
}

function example(name: string): string {
  if (name === 'GRAPH_ENDPOINT') return 'https://graph.microsoft.us';
  if (name === 'LOG_ANALYTICS_ENDPOINT') return 'https://api.loganalytics.us';
  return 'https://login.microsoftonline.us';
}

function blankToUndefined(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}
