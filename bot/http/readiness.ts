import type { Config } from '../config.js';
import type { Store } from '../store/store.js';

/**
 * /readyz: 200 only when the store answers. The body lists what is missing for a working
 * deployment, so an admin sees at a glance why cards are not arriving.
 */
export async function renderReadiness(config: Config, store: Store, tenantReader: 'graph' | 'file' | 'demo' | undefined): Promise<{ ready: boolean; body: unknown }> {
  const missing: string[] = [];
  if (!config.bot) missing.push('bot credentials (local mode: set MicrosoftAppId, MicrosoftAppPassword and MicrosoftAppTenantId to connect to Teams)');
  if (!tenantReader) missing.push('tenant reader (set AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET and LOG_ANALYTICS_WORKSPACE_ID, or GLASSWATCH_SNAPSHOT)');
  else if (tenantReader === 'demo') missing.push('tenant reader (local mode shows the bundled demo tenant, not yours)');
  try {
    await store.ping();
    const [channel, deliveries] = await Promise.all([store.getAlertChannel(), store.deliveryStats()]);
    if (!channel) missing.push('alert channel (type "@Glasswatch bind" in the Teams channel that should receive alerts)');
    return {
      ready: true,
      body: {
        status: deliveries.failing > 0 ? 'degraded' : 'ready',
        mode: config.mode,
        store: 'ok',
        tenantReader: tenantReader ?? null,
        alertChannel: channel ? { channelId: channel.channelId, boundBy: channel.boundBy.name, boundAt: channel.boundAt } : null,
        deliveries: {
          pending: deliveries.pending,
          failing: deliveries.failing,
          oldestPendingSince: deliveries.oldestPendingSince ? new Date(deliveries.oldestPendingSince).toISOString() : null,
          lastError: deliveries.lastError ?? null,
        },
        missing,
      },
    };
  } catch (error) {
    return {
      ready: false,
      body: {
        status: 'unavailable',
        mode: config.mode,
        store: 'unavailable',
        reason: error instanceof Error ? error.message : String(error),
        missing,
      },
    };
  }
}
