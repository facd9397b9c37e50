import type { Incident } from '../incidents/incident.js';
import type { Store } from '../store/store.js';
import type { PostureContext } from './finding.js';

/** An alert must have reached Glasswatch within a drill cycle for the alert path to count as proven. */
export const ALERTING_WINDOW_MS = 90 * 24 * 3_600_000;
const LOOKBACK_MS = 90 * 24 * 3_600_000;
const ALERT_LAG_MS = 60 * 60_000;

/**
 * What Glasswatch itself knows that the checks need: when an alert last arrived (BG-11) and which
 * sign-ins incidents and drills have accounted for (BG-12), and the last passed drill (BG-10).
 */
export async function postureContext(store: Store, accounts: string[], now: Date): Promise<PostureContext> {
  const from = new Date(now.getTime() - LOOKBACK_MS).toISOString();
  const [lastAlertAt, incidents, drills] = await Promise.all([
    store.lastAlertReceivedAt(),
    store.incidentsOverlapping(from, now.toISOString(), 500),
    store.listDrills(undefined, 500),
  ]);
  // BG-10: the last passed drill per account (newest first, so the first seen wins).
  const lastDrill: Record<string, string> = {};
  for (const drill of drills) {
    if (drill.status === 'passed' && lastDrill[drill.account] === undefined) lastDrill[drill.account] = drill.endedAt;
  }
  const resolved = incidents.filter((i): i is Extract<Incident, { status: 'resolved' }> => i.status === 'resolved');
  return {
    now,
    accounts,
    lastAlertAt,
    lastDrill,
    alertingWindowMs: ALERTING_WINDOW_MS,
    // A sign-in is accounted for when a resolved incident covered it; open ones are still in question.
    accountedSignIns: [
      ...resolved.flatMap((incident) => {
        const account = incident.subject.kind === 'user' ? (incident.subject.upn ?? incident.subject.objectId) : undefined;
        // Alerts fire minutes after the sign-in they report (ingestion and evaluation lag).
        const from = new Date(Date.parse(incident.firstSeen) - ALERT_LAG_MS).toISOString();
        return account ? [{ account, from, to: incident.lastSeen, resolution: incident.resolution }] : [];
      }),
      // A drill's window covers the sign-in it announced.
      ...drills.map((drill) => ({ account: drill.account, from: drill.startedAt, to: drill.status === 'running' ? drill.windowEndsAt : drill.endedAt, resolution: 'drill' })),
    ],
    lastReviewAt: [...resolved.map((i) => i.resolvedAt), ...Object.values(lastDrill)].sort().at(-1),
  };
}
