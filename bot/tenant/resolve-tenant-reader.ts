import { resolve } from 'node:path';
import { fileTenantReader } from './snapshot-file.js';
import type { Logger } from 'pino';
import { liveTenantReader } from './live-tenant-reader.js';
import type { LogsReader } from './logs-reader.js';
import type { TenantReader } from './tenant-reader.js';

export type TenantReaderResult = { ok: true; reader: TenantReader; logs?: LogsReader } | { ok: false; message: string };

/**
 * Which tenant reader the configuration asks for. One place, so the Graph + Log Analytics reader
 * can be added here for every caller at once (check, snapshot export, the bot).
 */
export function resolveTenantReader(
  env: Record<string, string | undefined>,
  cwd: string = process.cwd(),
  options: { now?: () => Date; logger?: Logger } = {},
): TenantReaderResult {
  const snapshot = env.GLASSWATCH_SNAPSHOT?.trim();
  if (snapshot) return { ok: true, reader: fileTenantReader(resolve(cwd, snapshot), 'file') };
  // A read-only identity in the monitored tenant: Microsoft Graph, and Log Analytics when a workspace is named.
  if (env.AZURE_TENANT_ID?.trim()) return liveTenantReader(env, options.now ?? (() => new Date()), { logger: options.logger });
  return {
    ok: false,
    message:
      'no tenant reader: pass --snapshot FILE, or set GLASSWATCH_SNAPSHOT to a snapshot file, or set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET (or AZURE_CLIENT_CERTIFICATE_PATH) for a read-only identity in the monitored tenant, and LOG_ANALYTICS_WORKSPACE_ID for sign-ins.',
  };
}
