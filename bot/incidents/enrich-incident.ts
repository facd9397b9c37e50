import type { SignInDetails } from '../intake/alert.js';
import type { Known, SignInRow } from '../tenant/tenant-snapshot.js';
import { RECENT_SIGNINS_KEPT, type Incident } from './incident.js';

/**
 * Folds what Log Analytics returned for the alert's window into the incident (pure). Alerts V2
 * carry no rows, so this is where the card learns the sign-in's location and exact time. A failed
 * lookup changes nothing but the note the card shows. Answers undefined when nothing would change.
 */
export function enrichIncident(incident: Incident, lookup: Known<SignInRow[]>, now: Date): Incident | undefined {
  const at = now.toISOString();
  if (!lookup.ok) {
    const note = `Sign-in details could not be loaded from Log Analytics: ${lookup.reason}`;
    if (incident.enrichment?.note === note) return undefined;
    return { ...incident, version: incident.version + 1, enrichment: { at, note, ok: false } };
  }
  const found = lookup.value.map(toDetails);
  const merged = mergeNewestFirst(incident.recentSignIns, found).slice(0, RECENT_SIGNINS_KEPT);
  // Rows the incident did not already hold with a time (a timeless entry from the alert counts as new detail).
  const added = found.filter((row) => !incident.recentSignIns.some((known) => known.time !== undefined && sameSignIn(known, row))).length;
  const note = added > 0 ? `Details of ${added} sign-in${added === 1 ? '' : 's'} added from Log Analytics` : 'Log Analytics has no further details yet';
  if (added === 0 && incident.enrichment?.ok) return undefined;
  return {
    ...incident,
    version: incident.version + 1,
    recentSignIns: merged,
    latest: merged[0] ?? incident.latest,
    enrichment: { at, note, ok: true },
  };
}

function toDetails(row: SignInRow): SignInDetails {
  const details: SignInDetails = { time: row.time, resultType: row.resultType };
  if (row.upn) details.upn = row.upn;
  if (row.userId) details.userId = row.userId;
  if (row.appId) details.appId = row.appId;
  if (row.app) details.app = row.app;
  if (row.ipAddress) details.ipAddress = row.ipAddress;
  if (row.location) details.location = row.location;
  if (row.resultDescription) details.resultDescription = row.resultDescription;
  return details;
}

/** The same sign-in seen twice (from the alert's dimensions and from the logs) is kept once, the richer copy. */
function sameSignIn(a: SignInDetails, b: SignInDetails): boolean {
  if (a.time && b.time) return a.time === b.time && (a.ipAddress ?? '') === (b.ipAddress ?? '');
  return (a.ipAddress ?? '') === (b.ipAddress ?? '') && (a.resultType ?? '') === (b.resultType ?? '') && (a.app ?? '') === (b.app ?? '');
}

function mergeNewestFirst(known: readonly SignInDetails[], found: readonly SignInDetails[]): SignInDetails[] {
  // A timeless entry (from V2 dimensions) that a timed row now describes is replaced by that row.
  const kept = known.filter((k) => !found.some((f) => sameSignIn(k, f) || (k.time === undefined && f.ipAddress === k.ipAddress && f.resultType === k.resultType)));
  return [...found, ...kept].sort((a, b) => (b.time ?? '').localeCompare(a.time ?? ''));
}
