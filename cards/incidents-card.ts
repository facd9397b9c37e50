import { adaptiveCard, type AdaptiveCard, type AdaptiveElement, type Container } from './adaptive-card.js';
import { formatUtc, plural, safeText } from './format.js';

export interface OpenIncidentRow {
  id: string;
  headline: string;
  state: 'triggered' | 'acknowledged';
  severity: string;
  /** ISO UTC. */
  openedAt: string;
  /** How long it has been open, as the caller words it: "25 minutes". */
  age: string;
  /** Who acknowledged it, when it is acknowledged. */
  owner?: string;
  /** Escalation levels already notified (0 = none yet). */
  escalationLevel: number;
  occurrences: number;
}

export interface IncidentsCardModel {
  /** ISO UTC time the list was read. */
  now: string;
  /** In the order to show them; the caller sorts. */
  incidents: OpenIncidentRow[];
  demo?: boolean;
}

/** A channel answer, not a report: past this the list stops and says how many it left out. */
export const MAX_INCIDENT_ROWS = 20;
const MAX_TEXT = 200;

/** The answer to `/breakglass incidents`: every open incident, one compact row each. */
export function renderIncidentsCard(vm: IncidentsCardModel): AdaptiveCard {
  const count = vm.incidents.length;
  const body: AdaptiveElement[] = [
    {
      type: 'TextBlock',
      text: count === 0 ? 'No open incidents' : plural(count, 'open incident'),
      size: 'medium',
      weight: 'bolder',
      wrap: true,
    },
    { type: 'TextBlock', text: `As of ${safeText(formatUtc(vm.now), 40)}`, isSubtle: true, size: 'small', wrap: true, spacing: 'none' },
  ];
  if (vm.demo) {
    body.push({ type: 'TextBlock', text: 'Local mode: these incidents come from demo alerts.', color: 'accent', wrap: true, spacing: 'small' });
  }
  if (count === 0) {
    body.push({ type: 'TextBlock', text: 'Every break-glass incident is resolved.', wrap: true, spacing: 'medium' });
  }
  body.push(...vm.incidents.slice(0, MAX_INCIDENT_ROWS).map(row));
  if (count > MAX_INCIDENT_ROWS) {
    body.push({ type: 'TextBlock', text: `… and ${count - MAX_INCIDENT_ROWS} more`, isSubtle: true, wrap: true, spacing: 'medium' });
  }
  return adaptiveCard(body);
}

function row(incident: OpenIncidentRow): Container {
  return {
    type: 'Container',
    separator: true,
    spacing: 'medium',
    items: [
      badge(incident),
      { type: 'TextBlock', text: safeText(incident.headline, MAX_TEXT), weight: 'bolder', wrap: true, spacing: 'none' },
      { type: 'TextBlock', text: details(incident), size: 'small', isSubtle: true, wrap: true, spacing: 'none' },
    ],
  };
}

function badge(incident: OpenIncidentRow): AdaptiveElement {
  switch (incident.state) {
    case 'triggered':
      return { type: 'TextBlock', text: 'Needs a responder', size: 'small', weight: 'bolder', color: 'attention' };
    case 'acknowledged': {
      const owner = incident.owner?.trim();
      return {
        type: 'TextBlock',
        text: owner ? `Acknowledged by ${safeText(owner, 100)}` : 'Acknowledged',
        size: 'small',
        weight: 'bolder',
        color: 'warning',
        wrap: true,
      };
    }
    default: {
      const unreachable: never = incident.state;
      return unreachable;
    }
  }
}

function details(incident: OpenIncidentRow): string {
  const level = Math.max(0, Math.trunc(incident.escalationLevel));
  return [
    safeText(incident.severity, 20),
    `open ${safeText(incident.age, 40)} (since ${safeText(formatUtc(incident.openedAt), 40)})`,
    plural(Math.max(1, Math.trunc(incident.occurrences)), 'occurrence'),
    level === 0 ? 'not escalated' : `escalation level ${level}`,
    `incident ${safeText(incident.id, 128)}`,
  ].join(' · ');
}
