import type { Config } from '../config.js';

/**
 * Whether an activity's Teams tenant may talk to the bot. The Bot Framework SDK checks the caller's
 * token but not the tenant, so outside local mode only the allowed tenants get in; an activity that
 * names no tenant does not.
 */
export function tenantAllowed(config: Pick<Config, 'mode' | 'allowedTenants'>, tenantId: string | undefined): boolean {
  if (config.mode === 'local') return true;
  return tenantId !== undefined && config.allowedTenants.some((t) => t.toLowerCase() === tenantId.toLowerCase());
}
