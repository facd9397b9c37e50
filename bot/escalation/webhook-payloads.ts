import type { SignInDetails, Subject } from '../intake/alert.js';
import { cleanText } from '../intake/clean-text.js';
import type { Actor, Incident, IncidentStatus, Resolution } from '../incidents/incident.js';
import type { IncidentEvent } from '../incidents/incident-command.js';

/** Caps for strings that came from outside (alerts, Teams): a hostile value cannot bloat a page. */
const NAME_MAX = 256;
const SUMMARY_MAX = 1_024;
const DEDUP_KEY_MAX = 255;

/**
 * The generic escalation webhook body, schema `glasswatch.incident.v1`. A public contract: fields
 * are only ever added, never renamed or removed; a breaking change gets a new `schema` value.
 *
 * ```jsonc
 * {
 *   "schema": "glasswatch.incident.v1",
 *   "product": "Glasswatch",
 *   "event": "escalated",            // acknowledged | unacknowledged | escalated | reminded | resolved | note-added | rotation-confirmed
 *   "level": 2,                      // escalation level this event concerns (0 = none notified yet)
 *   "repeat": 0,                     // > 0 when the last level is sent again (escalated only, else 0)
 *   "manual": false,                 // escalated: a person pressed Escalate (true) or the clock fired (false)
 *   "actor": { "id": "…", "name": "Ada Lovelace" },  // who acted; "glasswatch" for the clock; absent for reminders
 *   "incident": {
 *     "id": "…", "status": "triggered",             // triggered | acknowledged | resolved
 *     "headline": "Break-glass sign-in: bg1@contoso.onmicrosoft.com",
 *     "severity": "Sev1", "rule": "Break-glass sign-in",
 *     "subject": { "kind": "user", "name": "bg1@contoso.onmicrosoft.com" },  // kind: user | service-principal | monitoring
 *     "openedAt": "…", "firstSeen": "…", "lastSeen": "…", "occurrences": 3,
 *     "acknowledgedBy": { "id", "name" }, "acknowledgedAt": "…",   // while acknowledged
 *     "resolvedBy": { "id", "name" }, "resolvedAt": "…",
 *     "resolution": "unauthorized",                                 // when resolved: drill | authorized-emergency | unauthorized | false-positive
 *     "passwordRotationConfirmedAt": "…",
 *     "links": { "card": "…", "searchResults": "…", "portal": "…" } // each only when known
 *   },
 *   "latestSignIn": { "time", "upn", "userId", "appId", "ipAddress", "location", "app",
 *                     "resultType", "resultDescription", "operationName", "caller", "status" },  // known fields only; absent when none
 *   "sentAt": "2025-03-01T12:05:00.000Z"
 * }
 * ```
 *
 * Times are ISO 8601 UTC. Optional fields are omitted, never `null`. Free-text notes stay in Teams
 * and the audit trail: a note may hold anything, and a webhook receiver is another system.
 */
export interface GenericWebhookBody {
  schema: 'glasswatch.incident.v1';
  product: 'Glasswatch';
  event: IncidentEvent['type'];
  level: number;
  repeat: number;
  manual?: boolean;
  actor?: Actor;
  incident: {
    id: string;
    status: IncidentStatus;
    headline: string;
    severity: string;
    rule: string;
    subject: { kind: Subject['kind']; name: string };
    openedAt: string;
    firstSeen: string;
    lastSeen: string;
    occurrences: number;
    acknowledgedBy?: Actor;
    acknowledgedAt?: string;
    resolvedBy?: Actor;
    resolvedAt?: string;
    resolution?: Resolution;
    passwordRotationConfirmedAt?: string;
    links: { card?: string; searchResults?: string; portal?: string };
  };
  latestSignIn?: Partial<Record<keyof SignInDetails, string>>;
  sentAt: string;
}

export function genericWebhookBody(
  incident: Incident,
  event: IncidentEvent,
  context: { product: 'Glasswatch'; cardUrl?: string; now: Date },
): GenericWebhookBody {
  const actor = actorOf(event);
  const latestSignIn = signInOf(incident.latest);
  return {
    schema: 'glasswatch.incident.v1',
    product: context.product,
    event: event.type,
    level: levelOf(incident, event),
    repeat: event.type === 'escalated' ? event.repeat : 0,
    ...(event.type === 'escalated' ? { manual: event.manual } : {}),
    ...(actor ? { actor: cleanActor(actor) } : {}),
    incident: {
      id: incident.id,
      status: incident.status,
      headline: capped(incident.headline, SUMMARY_MAX) ?? 'Break-glass incident',
      severity: capped(incident.severity, 16) ?? 'unknown',
      rule: capped(incident.ruleName, NAME_MAX) ?? 'unknown',
      subject: { kind: incident.subject.kind, name: subjectName(incident.subject) },
      openedAt: incident.openedAt,
      firstSeen: incident.firstSeen,
      lastSeen: incident.lastSeen,
      occurrences: incident.occurrences,
      ...statusFields(incident),
      links: definedOnly({
        card: capped(context.cardUrl, 2_048),
        searchResults: capped(incident.links.searchResults, 2_048),
        portal: capped(incident.links.portal, 2_048),
      }),
    },
    ...(latestSignIn ? { latestSignIn } : {}),
    sentAt: context.now.toISOString(),
  };
}

/** PagerDuty Events API v2 (`POST https://events.pagerduty.com/v2/enqueue`). */
export interface PagerDutyEventBody {
  routing_key: string;
  event_action: 'trigger' | 'acknowledge' | 'resolve';
  /** One PagerDuty alert per incident: acknowledge and resolve find the trigger by it. */
  dedup_key: string;
  /** Only on trigger. */
  payload?: {
    summary: string;
    source: string;
    severity: 'critical' | 'error' | 'warning' | 'info';
    timestamp: string;
    component: string;
    group: string;
    class: string;
    custom_details: Record<string, string | number | boolean>;
  };
  client: 'Glasswatch';
  /** Only on trigger, only when the incident has links. */
  links?: { href: string; text: string }[];
}

/**
 * The Events API v2 body for an event, or undefined when PagerDuty has nothing to hear about it:
 * escalated → trigger, acknowledged → acknowledge, resolved → resolve. The routing key is the
 * integration's address, not a credential of the monitored tenant; it goes only to PagerDuty.
 */
export function pagerDutyEventBody(incident: Incident, event: IncidentEvent, routingKey: string, now: Date): PagerDutyEventBody | undefined {
  const action = pagerDutyActionOf(event);
  if (action === undefined) return undefined;
  const base = {
    routing_key: routingKey,
    event_action: action,
    dedup_key: pagerDutyDedupKey(incident),
    client: 'Glasswatch' as const,
  };
  if (action !== 'trigger') return base;
  const links = pagerDutyLinks(incident);
  return {
    ...base,
    payload: {
      summary: pagerDutySummary(incident, event),
      source: subjectName(incident.subject),
      severity: pagerDutySeverity(incident.severity),
      timestamp: validIso(incident.lastSeen) ?? now.toISOString(),
      component: incident.subject.kind === 'monitoring' ? 'Azure Monitor' : 'Microsoft Entra ID',
      group: 'break-glass',
      class: pagerDutyClass(incident.subject),
      custom_details: pagerDutyDetails(incident, event, now),
    },
    ...(links.length > 0 ? { links } : {}),
  };
}

export function pagerDutyDedupKey(incident: Incident): string {
  return `glasswatch-${incident.id}`.slice(0, DEDUP_KEY_MAX);
}

/** Sev0 → critical, Sev1 → error, Sev2 → warning, anything else → info. */
export function pagerDutySeverity(severity: string): 'critical' | 'error' | 'warning' | 'info' {
  switch (severity.trim().toLowerCase()) {
    case 'sev0':
      return 'critical';
    case 'sev1':
      return 'error';
    case 'sev2':
      return 'warning';
    default:
      return 'info';
  }
}

function pagerDutyActionOf(event: IncidentEvent): PagerDutyEventBody['event_action'] | undefined {
  switch (event.type) {
    case 'escalated':
      return 'trigger';
    case 'acknowledged':
      return 'acknowledge';
    case 'resolved':
      return 'resolve';
    case 'unacknowledged':
    case 'reminded':
    case 'note-added':
    case 'rotation-confirmed':
      return undefined;
    default: {
      const unreachable: never = event;
      return unreachable;
    }
  }
}

function pagerDutySummary(incident: Incident, event: IncidentEvent): string {
  const level = event.type === 'escalated' && event.level > 0 ? ` (escalation level ${event.level})` : '';
  const text = `[Glasswatch] ${incident.headline}${level}`;
  return capped(text, SUMMARY_MAX) ?? '[Glasswatch] Break-glass incident';
}

function pagerDutyClass(subject: Subject): string {
  switch (subject.kind) {
    case 'user':
      return 'break-glass sign-in';
    case 'service-principal':
      return 'break-glass app sign-in';
    case 'monitoring':
      return 'monitoring change';
    default: {
      const unreachable: never = subject;
      return unreachable;
    }
  }
}

function pagerDutyDetails(incident: Incident, event: IncidentEvent, now: Date): Record<string, string | number | boolean> {
  const latest = signInOf(incident.latest) ?? {};
  const details: Record<string, string | number | boolean | undefined> = {
    incident_id: incident.id,
    status: incident.status,
    rule: capped(incident.ruleName, NAME_MAX),
    azure_severity: capped(incident.severity, 16),
    occurrences: incident.occurrences,
    opened_at: incident.openedAt,
    first_seen: incident.firstSeen,
    last_seen: incident.lastSeen,
    escalation_level: levelOf(incident, event),
    escalation_repeat: event.type === 'escalated' ? event.repeat : 0,
    manual: event.type === 'escalated' ? event.manual : undefined,
    escalated_by: event.type === 'escalated' && event.manual ? cleanActor(event.actor).name : undefined,
    sign_in_time: latest.time,
    sign_in_upn: latest.upn,
    sign_in_ip: latest.ipAddress,
    sign_in_location: latest.location,
    sign_in_app: latest.app,
    sign_in_result: latest.resultType,
    sign_in_result_description: latest.resultDescription,
    operation: latest.operationName,
    caller: latest.caller,
    sent_at: now.toISOString(),
  };
  const out: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(details)) if (value !== undefined) out[key] = value;
  return out;
}

function pagerDutyLinks(incident: Incident): { href: string; text: string }[] {
  const links: { href: string; text: string }[] = [];
  const portal = httpsLink(incident.links.portal);
  if (portal) links.push({ href: portal, text: 'Alert in the Azure portal' });
  const search = httpsLink(incident.links.searchResults);
  if (search) links.push({ href: search, text: 'Sign-in search results' });
  return links;
}

function levelOf(incident: Incident, event: IncidentEvent): number {
  return event.type === 'escalated' || event.type === 'reminded' ? event.level : incident.escalation.level;
}

function actorOf(event: IncidentEvent): Actor | undefined {
  return event.type === 'reminded' ? undefined : event.actor;
}

function statusFields(incident: Incident): Partial<GenericWebhookBody['incident']> {
  switch (incident.status) {
    case 'triggered':
      return {};
    case 'acknowledged':
      return { acknowledgedBy: cleanActor(incident.acknowledgedBy), acknowledgedAt: incident.acknowledgedAt };
    case 'resolved':
      return definedOnly({
        resolvedBy: cleanActor(incident.resolvedBy),
        resolvedAt: incident.resolvedAt,
        resolution: incident.resolution,
        passwordRotationConfirmedAt: incident.passwordRotation?.confirmedAt,
      });
    default: {
      const unreachable: never = incident;
      return unreachable;
    }
  }
}

function subjectName(subject: Subject): string {
  switch (subject.kind) {
    case 'user':
      return capped(subject.upn ?? subject.objectId ?? subject.key, NAME_MAX) ?? subject.kind;
    case 'service-principal':
      return capped(subject.displayName ?? subject.appId, NAME_MAX) ?? subject.kind;
    case 'monitoring':
      return capped(subject.ruleName, NAME_MAX) ?? subject.kind;
    default: {
      const unreachable: never = subject;
      return unreachable;
    }
  }
}

const SIGN_IN_FIELDS: readonly (keyof SignInDetails)[] = [
  'time',
  'upn',
  'userId',
  'appId',
  'servicePrincipalName',
  'ipAddress',
  'location',
  'app',
  'resultType',
  'resultDescription',
  'operationName',
  'caller',
  'status',
];

function signInOf(signIn: SignInDetails | undefined): Partial<Record<keyof SignInDetails, string>> | undefined {
  if (!signIn) return undefined;
  const out: Partial<Record<keyof SignInDetails, string>> = {};
  for (const field of SIGN_IN_FIELDS) {
    const value = capped(signIn[field], NAME_MAX);
    if (value !== undefined) out[field] = value;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function cleanActor(actor: Actor): Actor {
  return { id: capped(actor.id, 128) ?? 'unknown', name: capped(actor.name, 128) ?? 'unknown' };
}

function capped(value: string | undefined, max: number): string | undefined {
  return cleanText(value, max);
}

function httpsLink(value: string | undefined): string | undefined {
  const link = capped(value, 2_048);
  return link !== undefined && /^https:\/\//i.test(link) && !link.endsWith('…') ? link : undefined;
}

function validIso(value: string): string | undefined {
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

function definedOnly<T extends object>(record: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as { [K in keyof T]?: Exclude<T[K], undefined> };
}
