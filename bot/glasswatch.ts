import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { TeamsAdapter } from '@microsoft/teams-ai';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import { renderReadiness } from './http/readiness.js';
import { Metrics } from './http/metrics.js';
import { createHttpServer } from './http/server.js';
import type { Incident } from './incidents/incident.js';
import { recordAlert } from './incidents/record-alert.js';
import { applyToDrill } from './drills/drill-service.js';
import { DrillClock } from './drills/drill-clock.js';
import { entraSigningKeys } from './intake/verify-secure-webhook.js';
import { openSqliteStore } from './store/sqlite-store.js';
import type { Store } from './store/store.js';
import { AlertEnricher } from './tenant/alert-enricher.js';
import type { LogsReader } from './tenant/logs-reader.js';
import type { TenantReader } from './tenant/tenant-reader.js';
import { botFrameworkGateway } from './teams/bot-framework-gateway.js';
import type { ViewerNotice } from './teams/card-action-route.js';
import { DeliveryWorker } from './teams/delivery-worker.js';
import { EscalationClock } from './escalation/escalation-clock.js';
import { NotificationWorker } from './escalation/notification-worker.js';
import { noRetryHttpClient } from './teams/no-retry-http-client.js';
import { incidentCard } from './teams/incident-card.js';
import { Pacer, TEAMS_CONVERSATION_LIMITS } from './teams/pacer.js';
import { createTeamsApp } from './teams/teams-app.js';

/** Sends count this much longer than Teams counts them (the benchmark saw 429s with no margin). */
const PACING_MARGIN_MS = 250;

export interface GlasswatchOptions {
  logger: Logger;
  now?: () => Date;
  random?: () => number;
  newId?: () => string;
  store?: Store;
  /** Where posture data comes from (Graph + Log Analytics, a snapshot file, or the demo); none → status says how to configure one. */
  tenantReader?: TenantReader;
  /** Log Analytics, for enriching alert cards with the sign-in rows; none → cards show what the alert carried. */
  logs?: LogsReader;
}

export interface RunningGlasswatch {
  url: string;
  store: Store;
  metrics: Metrics;
  /** Stops intake (503), delivers what is due within `drainMs`, closes the server and the store. */
  shutdown(drainMs?: number): Promise<void>;
}

/** Builds and starts everything from a validated Config. The only place real things are wired. */
export async function startGlasswatch(config: Config, options: GlasswatchOptions): Promise<RunningGlasswatch> {
  const { logger } = options;
  const now = options.now ?? (() => new Date());
  const random = options.random ?? Math.random;
  const newId = options.newId ?? (() => randomUUID());
  const store = options.store ?? openSqliteStore(config.dataDir);
  const metrics = new Metrics();

  const adapter = new TeamsAdapter(
    config.bot
      ? {
          MicrosoftAppId: config.bot.appId,
          MicrosoftAppPassword: config.bot.appPassword,
          MicrosoftAppType: config.bot.appType,
          MicrosoftAppTenantId: config.bot.tenantId,
        }
      : {},
    undefined,
    undefined,
    // The outbox owns retries: this transport stops the SDK from retrying behind its back.
    { httpClient: noRetryHttpClient },
  );
  const drillDeps = { store, now, newId, policy: config.escalation, settings: config.drills, accounts: config.accounts };
  const cardOptions = { demo: false, responderIds: config.responders.map((r) => r.id), escalationLevels: config.escalation.levels.length };
  const renderIncident = (incident: Incident, notice?: ViewerNotice) => incidentCard(incident, cardOptions, notice);
  const pacer = new Pacer(TEAMS_CONVERSATION_LIMITS, { marginMs: PACING_MARGIN_MS });
  const gateway = botFrameworkGateway(adapter, config.bot?.appId ?? '');
  const worker = new DeliveryWorker({
    store,
    gateway,
    render: (incident) => renderIncident(incident),
    onPosted: (incident, at) => {
      if (!incident.drillId) return;
      applyToDrill(drillDeps, incident.drillId, { type: 'card-posted', incidentId: incident.id, at: new Date(at).toISOString() }).catch((error: unknown) =>
        logger.warn({ err: error, incidentId: incident.id }, 'drill latency not recorded'),
      );
    },
    pacer,
    metrics,
    logger: logger.child({ component: 'outbox' }),
    now: () => now().getTime(),
    random,
  });
  const notifications = new NotificationWorker({
    store,
    gateway,
    pacer,
    responders: config.responders,
    metrics,
    logger: logger.child({ component: 'notifications' }),
    now: () => now().getTime(),
    random,
  });
  const changed = () => {
    worker.kick();
    notifications.kick();
    clock.kick();
  };
  const clock = new EscalationClock({
    store,
    now,
    policy: config.escalation,
    metrics,
    logger: logger.child({ component: 'escalation' }),
    onChange: changed,
  });
  const drillClock = new DrillClock({ store, gateway, settings: config.drills, accounts: config.accounts, now, logger: logger.child({ component: 'drills' }) });
  const app = createTeamsApp({
    adapter,
    config,
    store,
    logger,
    now,
    policy: config.escalation,
    metrics,
    renderIncident,
    onChange: changed,
    onChannelBound: () => {
      changed();
      drillClock.kick();
    },
    posture: { store, tenantReader: options.tenantReader, accounts: config.accounts, now },
    drills: { ...drillDeps, config, onChange: changed },
  });
  const enricher = options.logs
    ? new AlertEnricher({ store, logs: options.logs, now, logger: logger.child({ component: 'enrichment' }), onChange: changed })
    : undefined;

  let accepting = true;
  const secureWebhook = config.webhook.secureWebhook;
  const server = createHttpServer({
    logger,
    alerts: {
      auth: {
        token: config.webhook.token,
        secureWebhook: secureWebhook
          ? { ...secureWebhook, keys: entraSigningKeys(secureWebhook.authorityHost, secureWebhook.tenantId) }
          : undefined,
      },
      record: (alert, rawBody) => recordAlert({ store, now, newId, policy: config.escalation }, alert, rawBody),
      accepting: () => accepting,
      now,
      logger,
      onRecorded: (recorded) => {
        metrics.inc('glasswatch_alerts_received_total', { outcome: recorded.outcome });
        if (recorded.outcome !== 'duplicate') changed();
        if (recorded.outcome === 'created' || recorded.outcome === 'grouped') enricher?.enrich(recorded.incident);
      },
    },
    messages: (req, res) => adapter.process(req, res, async (context) => { await app.run(context); }),
    readiness: () => renderReadiness(config, store, options.tenantReader?.kind),
    metrics: async () => metrics.render(await storeGauges(store)),
  });
  server.on('after', (req, res) => {
    if (req.getPath() === '/api/alerts' && res.statusCode >= 400) {
      metrics.inc('glasswatch_alerts_rejected_total', { status: String(res.statusCode) });
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  worker.start();
  notifications.start();
  clock.start();
  drillClock.start();
  const address: AddressInfo | string | null = server.address();
  if (address === null || typeof address === 'string') throw new Error('the HTTP server has no TCP address');
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  return {
    url: `http://${host}:${address.port}`,
    store,
    metrics,
    async shutdown(drainMs = 10_000) {
      accepting = false;
      await clock.stop();
      await drillClock.stop();
      await notifications.stop();
      await worker.stop();
      try {
        await worker.drain(Date.now() + drainMs);
      } catch (error) {
        logger.warn({ err: error }, 'drain interrupted; pending deliveries stay in the store');
      }
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Keep-alive and half-sent requests would otherwise hold the close open for seconds.
      server.server.closeIdleConnections();
      await closed;
      await store.close();
    },
  };
}

async function storeGauges(store: Store) {
  try {
    const [counts, deliveries] = await Promise.all([store.countIncidentsByStatus(), store.deliveryStats()]);
    return [
      {
        name: 'glasswatch_incidents',
        help: 'Incidents by state.',
        values: Object.entries(counts).map(([state, value]) => ({ labels: { state }, value })),
      },
      { name: 'glasswatch_deliveries_pending', help: 'Cards waiting to be posted or edited.', values: [{ labels: {}, value: deliveries.pending }] },
      { name: 'glasswatch_deliveries_failing', help: 'Pending cards whose last attempt failed.', values: [{ labels: {}, value: deliveries.failing }] },
      { name: 'glasswatch_store_up', help: '1 when the store answers.', values: [{ labels: {}, value: 1 }] },
    ];
  } catch {
    return [{ name: 'glasswatch_store_up', help: '1 when the store answers.', values: [{ labels: {}, value: 0 }] }];
  }
}
