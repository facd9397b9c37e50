import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { demoTenantReader } from './demo-tenant.js';
import type { LogsReader } from './logs-reader.js';
import { resolveTenantReader } from './resolve-tenant-reader.js';
import type { TenantReader } from './tenant-reader.js';

/**
 * The bot's tenant reader: whatever the environment configures (snapshot file, or Graph + Log
 * Analytics), else — in local mode only — the bundled demo tenant, whose cards say so.
 */
export function tenantReaders(config: Config, logger: Logger, env: Record<string, string | undefined> = process.env): { tenantReader?: TenantReader; logs?: LogsReader } {
  const resolved = resolveTenantReader(env, process.cwd(), { logger: logger.child({ component: 'tenant' }) });
  if (resolved.ok) {
    logger.info({ tenantReader: resolved.reader.kind }, 'tenant reader configured');
    return { tenantReader: resolved.reader, logs: resolved.logs };
  }
  if (config.mode === 'local') return { tenantReader: demoTenantReader({ now: () => new Date() }) };
  logger.warn({ reason: resolved.message }, 'no tenant reader: status and signins will say how to configure one');
  return {};
}
