import { describe, expect, it } from 'vitest';
import { parsedAlert as baseAlert } from '../../support/parsed-alert.js';
import { DEFAULT_ESCALATION_POLICY as POLICY } from '../../../bot/escalation/escalation-policy.js';
import { genericWebhookBody, pagerDutyDedupKey, pagerDutyEventBody, pagerDutySeverity } from '../../../bot/escalation/webhook-payloads.js';
import { decideAction } from '../../../bot/incidents/decide-action.js';
import { decideAlert } from '../../../bot/incidents/decide-alert.js';
import type { IncidentCommand, IncidentEvent } from '../../../bot/incidents/incident-command.js';
import { SYSTEM_ACTOR, type Actor, type Incident } from '../../../bot/incidents/incident.js';
import type { ParsedAlert } from '../../../bot/intake/alert.js';

const OPEN = new Date('2025-03-01T12:00:00.000Z');
const NOW = new Date('2025-03-01T12:05:00.000Z');
const ADA: Actor = { id: 'aad-ada', name: 'Ada Lovelace' };
const ROUTING_KEY = 'R0UT1NGKEY0000000000000000000000';

function parsedAlert(overrides: Partial<ParsedAlert> = {}): ParsedAlert {
  const firedAt = overrides.firedAt ?? '2025-03-01T11:58:00.000Z';
  const signIn = { time: firedAt, upn: 'bg1@contoso.onmicrosoft.com', ipAddress: '203.0.113.7', location: 'Oslo, NO', app: 'Azure Portal', resultType: '0' };
  return baseAlert({ signIns: [signIn], ...overrides });
}

function opened(overrides: Partial<ParsedAlert> = {}, id = 'inc-1'): Incident {
  return decideAlert(parsedAlert(overrides), {}, OPEN, id, POLICY).incident;
}

function act(incident: Incident, command: IncidentCommand): { incident: Incident; event: IncidentEvent } {
  const decision = decideAction(incident, command, NOW, POLICY);
  if (!decision.ok) throw new Error(`refused: ${decision.refusal.code}`);
  const [event] = decision.events;
  if (!event) throw new Error('no event');
  return { incident: decision.incident, event };
}

const ESCALATED: IncidentEvent = { type: 'escalated', actor: SYSTEM_ACTOR, level: 1, repeat: 0, manual: false };

describe('genericWebhookBody', () => {
  it('describes an automatic escalation in the documented v1 shape', () => {
    const { incident, event } = act(opened(), { type: 'timer-due' });
    const body = genericWebhookBody(incident, event, { product: 'Glasswatch', cardUrl: 'https://teams.microsoft.com/l/message/1', now: NOW });
    expect(body).toEqual({
      schema: 'glasswatch.incident.v1',
      product: 'Glasswatch',
      event: 'escalated',
      level: 1,
      repeat: 0,
      manual: false,
      actor: SYSTEM_ACTOR,
      incident: {
        id: 'inc-1',
        status: 'triggered',
        headline: 'Break-glass sign-in: bg1@contoso.onmicrosoft.com',
        severity: 'Sev1',
        rule: 'Break-glass sign-in',
        subject: { kind: 'user', name: 'bg1@contoso.onmicrosoft.com' },
        openedAt: OPEN.toISOString(),
        firstSeen: '2025-03-01T11:58:00.000Z',
        lastSeen: '2025-03-01T11:58:00.000Z',
        occurrences: 1,
        links: { card: 'https://teams.microsoft.com/l/message/1', searchResults: 'https://portal.azure.com/#search-1', portal: 'https://portal.azure.com/#alert-1' },
      },
      latestSignIn: { time: '2025-03-01T11:58:00.000Z', upn: 'bg1@contoso.onmicrosoft.com', ipAddress: '203.0.113.7', location: 'Oslo, NO', app: 'Azure Portal', resultType: '0' },
      sentAt: NOW.toISOString(),
    });
  });

  it('is plain JSON: no undefined values survive a round trip differently', () => {
    const body = genericWebhookBody(opened(), ESCALATED, { product: 'Glasswatch', now: NOW });
    expect(JSON.parse(JSON.stringify(body))).toEqual(body);
    expect(JSON.stringify(body)).not.toContain('null');
    expect('card' in body.incident.links).toBe(false);
  });

  it('names who acknowledged', () => {
    const { incident, event } = act(opened(), { type: 'acknowledge', actor: ADA });
    const body = genericWebhookBody(incident, event, { product: 'Glasswatch', now: NOW });
    expect(body.event).toBe('acknowledged');
    expect(body.actor).toEqual(ADA);
    expect(body.level).toBe(0);
    expect('manual' in body).toBe(false);
    expect(body.incident).toMatchObject({ status: 'acknowledged', acknowledgedBy: ADA, acknowledgedAt: NOW.toISOString() });
  });

  it('gives the resolution but never the free-text note', () => {
    const { incident, event } = act(opened(), { type: 'resolve', actor: ADA, resolution: 'unauthorized', note: 'password was hunter2' });
    const body = genericWebhookBody(incident, event, { product: 'Glasswatch', now: NOW });
    expect(body.incident).toMatchObject({ status: 'resolved', resolution: 'unauthorized', resolvedBy: ADA, resolvedAt: NOW.toISOString() });
    expect(JSON.stringify(body)).not.toContain('hunter2');
  });

  it('carries the level of a reminder and no actor', () => {
    const body = genericWebhookBody(opened(), { type: 'reminded', level: 2, reminder: 1 }, { product: 'Glasswatch', now: NOW });
    expect(body.level).toBe(2);
    expect(body.event).toBe('reminded');
    expect('actor' in body).toBe(false);
  });

  it('names the subject of an app and of a monitoring incident', () => {
    const app = opened({ subject: { kind: 'service-principal', key: 'sp:app-1', appId: 'app-1', displayName: 'BG Automation' } });
    expect(genericWebhookBody(app, ESCALATED, { product: 'Glasswatch', now: NOW }).incident.subject).toEqual({ kind: 'service-principal', name: 'BG Automation' });
    const monitoring = opened({ subject: { kind: 'monitoring', key: 'rule:r', ruleName: 'Heartbeat' }, signIns: [] });
    const body = genericWebhookBody(monitoring, ESCALATED, { product: 'Glasswatch', now: NOW });
    expect(body.incident.subject).toEqual({ kind: 'monitoring', name: 'Heartbeat' });
    expect('latestSignIn' in body).toBe(false);
  });

  it('caps and cleans strings that came from outside', () => {
    const upn = `${'a'.repeat(5_000)}@contoso.onmicrosoft.com`;
    const incident = opened({
      subject: { kind: 'user', key: 'user:x', upn },
      signIns: [{ upn, app: 'App\u202eevil\nline', time: '2025-03-01T11:58:00.000Z' }],
    });
    const body = genericWebhookBody(incident, ESCALATED, { product: 'Glasswatch', now: NOW });
    expect(body.incident.subject.name.length).toBeLessThanOrEqual(256);
    expect(body.latestSignIn?.upn?.length).toBeLessThanOrEqual(256);
    expect(body.latestSignIn?.app).toBe('App evil line');
    expect(body.incident.headline.length).toBeLessThanOrEqual(1_024);
  });
});

describe('pagerDutyEventBody', () => {
  it('triggers on an escalation with the Events API v2 fields', () => {
    const { incident, event } = act(opened(), { type: 'timer-due' });
    expect(pagerDutyEventBody(incident, event, ROUTING_KEY, NOW)).toEqual({
      routing_key: ROUTING_KEY,
      event_action: 'trigger',
      dedup_key: 'glasswatch-inc-1',
      client: 'Glasswatch',
      payload: {
        summary: '[Glasswatch] Break-glass sign-in: bg1@contoso.onmicrosoft.com (escalation level 1)',
        source: 'bg1@contoso.onmicrosoft.com',
        severity: 'error',
        timestamp: '2025-03-01T11:58:00.000Z',
        component: 'Microsoft Entra ID',
        group: 'break-glass',
        class: 'break-glass sign-in',
        custom_details: {
          incident_id: 'inc-1',
          status: 'triggered',
          rule: 'Break-glass sign-in',
          azure_severity: 'Sev1',
          occurrences: 1,
          opened_at: OPEN.toISOString(),
          first_seen: '2025-03-01T11:58:00.000Z',
          last_seen: '2025-03-01T11:58:00.000Z',
          escalation_level: 1,
          escalation_repeat: 0,
          manual: false,
          sign_in_time: '2025-03-01T11:58:00.000Z',
          sign_in_upn: 'bg1@contoso.onmicrosoft.com',
          sign_in_ip: '203.0.113.7',
          sign_in_location: 'Oslo, NO',
          sign_in_app: 'Azure Portal',
          sign_in_result: '0',
          sent_at: NOW.toISOString(),
        },
      },
      links: [
        { href: 'https://portal.azure.com/#alert-1', text: 'Alert in the Azure portal' },
        { href: 'https://portal.azure.com/#search-1', text: 'Sign-in search results' },
      ],
    });
  });

  it('names the responder on a manual escalation', () => {
    const { incident, event } = act(opened(), { type: 'escalate', actor: ADA });
    const body = pagerDutyEventBody(incident, event, ROUTING_KEY, NOW);
    expect(body?.payload?.custom_details).toMatchObject({ manual: true, escalated_by: 'Ada Lovelace', escalation_level: 1 });
  });

  it('acknowledges and resolves with the same dedup_key and no payload', () => {
    const acknowledged = act(opened(), { type: 'acknowledge', actor: ADA });
    const resolved = act(acknowledged.incident, { type: 'resolve', actor: ADA, resolution: 'drill' });
    expect(pagerDutyEventBody(acknowledged.incident, acknowledged.event, ROUTING_KEY, NOW)).toEqual({
      routing_key: ROUTING_KEY,
      event_action: 'acknowledge',
      dedup_key: 'glasswatch-inc-1',
      client: 'Glasswatch',
    });
    expect(pagerDutyEventBody(resolved.incident, resolved.event, ROUTING_KEY, NOW)).toEqual({
      routing_key: ROUTING_KEY,
      event_action: 'resolve',
      dedup_key: 'glasswatch-inc-1',
      client: 'Glasswatch',
    });
  });

  it('keeps the dedup_key stable per incident and distinct between incidents', () => {
    const one = opened({}, 'inc-1');
    const later = act(one, { type: 'note', actor: ADA, note: 'x' }).incident;
    expect(pagerDutyDedupKey(later)).toBe(pagerDutyDedupKey(one));
    expect(pagerDutyDedupKey(opened({}, 'inc-2'))).not.toBe(pagerDutyDedupKey(one));
    expect(pagerDutyDedupKey(opened({}, 'i'.repeat(400))).length).toBe(255);
  });

  it('sends nothing for events PagerDuty has no action for', () => {
    const incident = opened();
    const unsent: IncidentEvent[] = [
      { type: 'unacknowledged', actor: ADA },
      { type: 'reminded', level: 1, reminder: 1 },
      { type: 'note-added', actor: ADA, note: 'n' },
      { type: 'rotation-confirmed', actor: ADA },
    ];
    for (const event of unsent) expect(pagerDutyEventBody(incident, event, ROUTING_KEY, NOW)).toBeUndefined();
  });

  it('maps Azure severities: Sev0 critical, Sev1 error, Sev2 warning, anything else info', () => {
    expect(pagerDutySeverity('Sev0')).toBe('critical');
    expect(pagerDutySeverity('Sev1')).toBe('error');
    expect(pagerDutySeverity('Sev2')).toBe('warning');
    expect(pagerDutySeverity('Sev3')).toBe('info');
    expect(pagerDutySeverity('Sev4')).toBe('info');
    expect(pagerDutySeverity('sev0 ')).toBe('critical');
    expect(pagerDutySeverity('')).toBe('info');
    expect(pagerDutyEventBody(opened({ severity: 'Sev0' }), ESCALATED, ROUTING_KEY, NOW)?.payload?.severity).toBe('critical');
  });

  it('caps the summary at 1024 characters', () => {
    const upn = `${'b'.repeat(3_000)}@contoso.onmicrosoft.com`;
    const body = pagerDutyEventBody(opened({ subject: { kind: 'user', key: 'user:b', upn } }), ESCALATED, ROUTING_KEY, NOW);
    const summary = body?.payload?.summary ?? '';
    expect(summary.length).toBeGreaterThan(1_000);
    expect(summary.length).toBeLessThanOrEqual(1_024);
    expect(body?.payload?.source.length).toBeLessThanOrEqual(256);
  });

  it('links only https URLs and omits links when there are none', () => {
    const body = pagerDutyEventBody(opened({ links: { portal: 'javascript:alert(1)' } }), ESCALATED, ROUTING_KEY, NOW);
    expect(body).toBeDefined();
    expect(body !== undefined && 'links' in body).toBe(false);
  });

  it('describes a monitoring incident as an Azure Monitor change', () => {
    const monitoring = opened({ subject: { kind: 'monitoring', key: 'rule:r', ruleName: 'Diagnostic settings' }, signIns: [{ operationName: 'Microsoft.Insights/diagnosticSettings/delete', caller: 'mallory@contoso.com' }] });
    const payload = pagerDutyEventBody(monitoring, ESCALATED, ROUTING_KEY, NOW)?.payload;
    expect(payload).toMatchObject({ source: 'Diagnostic settings', component: 'Azure Monitor', class: 'monitoring change' });
    expect(payload?.custom_details).toMatchObject({ operation: 'Microsoft.Insights/diagnosticSettings/delete', caller: 'mallory@contoso.com' });
  });
});
