import type { FakeConnector } from '../../test/fakes/fake-connector.js';
import type { AlertToSend, SendLog } from './azure-monitor-sender.js';
import { alertsUrl } from './bot-child.js';
import { keepAliveAgent, postJson } from './http-client.js';
import type { StoreSnapshot } from './store-reader.js';
import { incidentIdOfCard } from './teams-world.js';

/** A span (performance.now() ms) in which a card may legitimately go out twice: Teams said 201, the commit did not happen. */
export interface FaultWindow {
  label: string;
  from: number;
  to: number;
}

export interface CardAudit {
  incidents: number;
  withoutCard: string[];
  /** Incidents with more than one card, and the fault window that explains it (if any). */
  duplicated: { incidentId: string; cards: number; explainedBy: string | undefined; acceptedBeforeFaultMs: number[] }[];
}

/** How long before a fault a card's 201 can have arrived without its commit (the commit follows within ms). */
const WINDOW_MARGIN_MS = 2_000;

/** Counts createConversation per incident (from the card's button data) against the store's incidents. */
export function auditCards(fake: FakeConnector, snapshot: StoreSnapshot, windows: readonly FaultWindow[]): CardAudit {
  const postedAt = new Map<string, number[]>();
  for (const request of fake.requests) {
    if (request.route !== 'createConversation' || request.status !== 201) continue;
    const incidentId = incidentIdOfCard(fake, request);
    if (incidentId !== undefined) postedAt.set(incidentId, [...(postedAt.get(incidentId) ?? []), request.at]);
  }
  const audit: CardAudit = { incidents: snapshot.incidents.length, withoutCard: [], duplicated: [] };
  for (const { id } of snapshot.incidents) {
    const times = postedAt.get(id) ?? [];
    if (times.length === 0) audit.withoutCard.push(id);
    if (times.length <= 1) continue;
    // Every card but the last must have been orphaned by a fault right after Teams accepted it.
    const matches = times.slice(0, -1).map((at) => ({ at, window: windows.find((w) => at >= w.from - WINDOW_MARGIN_MS && at <= w.to) }));
    const unexplained = matches.some((m) => m.window === undefined);
    audit.duplicated.push({
      incidentId: id,
      cards: times.length,
      explainedBy: unexplained ? undefined : matches.map((m) => m.window?.label).join('+'),
      acceptedBeforeFaultMs: matches.map((m) => Math.max(0, (m.window?.from ?? m.at) - m.at)),
    });
  }
  return audit;
}

export function unexplainedDuplicates(audit: CardAudit): number {
  return audit.duplicated.filter((d) => d.explainedBy === undefined).length;
}

/** Re-posts alerts that were answered 202 before: each must come back 202 "duplicate". */
export async function checkDuplicates(botUrl: string, alerts: readonly AlertToSend[]): Promise<{ checked: number; wrong: string[] }> {
  const agent = keepAliveAgent(4);
  const wrong: string[] = [];
  try {
    for (const alert of alerts) {
      const answer = await postJson(agent, alertsUrl(botUrl), alert.body);
      if (answer.status !== 202 || !answer.body.includes('"outcome":"duplicate"')) wrong.push(`${alert.alertId}: ${answer.status} ${answer.body.slice(0, 100)}`);
    }
  } finally {
    agent.destroy();
  }
  return { checked: alerts.length, wrong };
}

/** 5xx answers other than 503: Azure Monitor does not retry a 500, so it would drop the alert. */
export function non503ServerErrors(log: SendLog): number {
  let total = 0;
  for (const [status, n] of log.statuses) if (status >= 500 && status !== 503) total += n;
  return total;
}
