import type { Incident } from '../incidents/incident.js';

/** Open incidents → the `/breakglass incidents` card's view model, oldest first. */
export function incidentsView(open: readonly Incident[], now: Date) {
  return {
    now: now.toISOString(),
    incidents: open.flatMap((incident) =>
      incident.status === 'resolved'
        ? []
        : [
            {
              id: incident.id,
              headline: incident.headline,
              state: incident.status,
              severity: incident.severity,
              openedAt: incident.openedAt,
              age: formatAge(now.getTime() - Date.parse(incident.openedAt)),
              owner: incident.status === 'acknowledged' ? incident.acknowledgedBy.name : undefined,
              escalationLevel: incident.escalation.level,
              occurrences: incident.occurrences,
            },
          ],
    ),
  };
}

export function formatAge(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ${minutes % 60} min`;
  return `${Math.floor(hours / 24)} days`;
}
