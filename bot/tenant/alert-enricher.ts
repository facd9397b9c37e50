import type { Logger } from 'pino';
import { enrichIncident } from '../incidents/enrich-incident.js';
import type { Incident } from '../incidents/incident.js';
import { ConflictError } from '../store/store-errors.js';
import type { Store } from '../store/store.js';
import type { LogsReader } from './logs-reader.js';

export interface AlertEnricherDeps {
  store: Store;
  logs: LogsReader;
  now: () => Date;
  logger: Logger;
  /** Called after an enrichment was committed, so the card edit goes out. */
  onChange: () => void;
}

/** Sign-ins reach the alert minutes after they happen; look back this far from the first alert. */
const LOOKBACK_MS = 30 * 60_000;
const LOOKAHEAD_MS = 5 * 60_000;
/** A storm for one account asks Log Analytics at most this often. */
const MIN_INTERVAL_MS = 60_000;

/**
 * After an alert's card is on its way, asks Log Analytics for the sign-in rows in the alert's
 * window and edits the card with them. Best effort and after the 202: it never holds an alert back,
 * and a failed lookup leaves the card as it was with a note.
 */
export class AlertEnricher {
  private readonly inFlight = new Set<string>();
  private readonly lastRun = new Map<string, number>();

  constructor(private readonly deps: AlertEnricherDeps) {}

  /** Fire and forget: errors are logged, never thrown to the intake. */
  enrich(incident: Incident): void {
    const account = incident.subject.kind === 'user' ? (incident.subject.upn ?? incident.subject.objectId) : undefined;
    if (!account) return;
    const now = this.deps.now().getTime();
    if (this.inFlight.has(incident.id) || now - (this.lastRun.get(incident.id) ?? 0) < MIN_INTERVAL_MS) return;
    this.inFlight.add(incident.id);
    this.lastRun.set(incident.id, now);
    this.run(incident.id, account)
      .catch((error: unknown) => this.deps.logger.warn({ err: error, incidentId: incident.id }, 'enrichment failed; card left as it was'))
      .finally(() => this.inFlight.delete(incident.id));
  }

  private async run(incidentId: string, account: string): Promise<void> {
    const { store, logs, now } = this.deps;
    const first = await store.getIncident(incidentId);
    if (!first) return;
    const since = new Date(Date.parse(first.firstSeen) - LOOKBACK_MS);
    const until = new Date(Math.max(Date.parse(first.lastSeen), now().getTime()) + LOOKAHEAD_MS);
    const lookup = await logs.signIns([account], since, until);
    for (let attempt = 1; attempt <= 5; attempt++) {
      const incident = await store.getIncident(incidentId);
      if (!incident) return;
      const enriched = enrichIncident(incident, lookup, now());
      if (!enriched) return;
      try {
        await store.commitIncidentChange({
          incident: enriched,
          previousVersion: incident.version,
          audit: [],
          notifications: [],
          now: now().getTime(),
        });
        this.deps.logger.info({ incidentId, note: enriched.enrichment?.note }, 'incident enriched from Log Analytics');
        this.deps.onChange();
        return;
      } catch (error) {
        if (!(error instanceof ConflictError)) throw error;
      }
    }
  }
}
