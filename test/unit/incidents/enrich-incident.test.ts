import { describe, expect, it } from 'vitest';
import { DEFAULT_ESCALATION_POLICY } from '../../../bot/escalation/escalation-policy.js';
import { decideAlert } from '../../../bot/incidents/decide-alert.js';
import { enrichIncident } from '../../../bot/incidents/enrich-incident.js';
import type { Incident } from '../../../bot/incidents/incident.js';
import type { ParsedAlert } from '../../../bot/intake/alert.js';
import type { SignInRow } from '../../../bot/tenant/tenant-snapshot.js';

const NOW = new Date('2026-11-22T10:00:00.000Z');

function openedFromV2Alert(): Incident {
  // A Log Alerts V2 alert: dimensions only, no sign-in time, no location.
  const alert: ParsedAlert = {
    alertId: 'a-1',
    monitorCondition: 'Fired',
    firedAt: '2026-11-22T09:58:00.000Z',
    source: 'log-v2',
    monitoringService: 'Log Alerts V2',
    alertRule: 'Break-glass sign-in',
    severity: 'Sev0',
    subject: { kind: 'user', key: 'user:bg1@contoso.onmicrosoft.com', upn: 'bg1@contoso.onmicrosoft.com' },
    signIns: [{ upn: 'bg1@contoso.onmicrosoft.com', ipAddress: '203.0.113.7', resultType: '0', app: 'Azure Portal' }],
    links: {},
  };
  const decision = decideAlert(alert, {}, NOW, 'inc-1', DEFAULT_ESCALATION_POLICY);
  return decision.incident;
}

function row(overrides: Partial<SignInRow> = {}): SignInRow {
  return {
    time: '2026-11-22T09:55:12.000Z',
    upn: 'bg1@contoso.onmicrosoft.com',
    ipAddress: '203.0.113.7',
    location: 'Lisbon, Lisbon, PT',
    app: 'Azure Portal',
    resultType: '0',
    source: 'SigninLogs',
    ...overrides,
  };
}

describe('enrichIncident', () => {
  it('replaces the timeless sign-in from the alert dimensions with the logged row, adding time and location', () => {
    const incident = openedFromV2Alert();
    const enriched = enrichIncident(incident, { ok: true, value: [row()] }, NOW);
    expect(enriched?.version).toBe(incident.version + 1);
    expect(enriched?.recentSignIns).toEqual([
      { time: '2026-11-22T09:55:12.000Z', upn: 'bg1@contoso.onmicrosoft.com', ipAddress: '203.0.113.7', location: 'Lisbon, Lisbon, PT', app: 'Azure Portal', resultType: '0' },
    ]);
    expect(enriched?.latest?.location).toBe('Lisbon, Lisbon, PT');
    expect(enriched?.enrichment).toMatchObject({ ok: true, note: 'Details of 1 sign-in added from Log Analytics' });
  });

  it('keeps several rows newest first and the status untouched', () => {
    const incident = openedFromV2Alert();
    const enriched = enrichIncident(incident, { ok: true, value: [row(), row({ time: '2026-11-22T09:57:00.000Z', ipAddress: '198.51.100.9', resultType: '50126' })] }, NOW);
    expect(enriched?.recentSignIns.map((s) => s.time)).toEqual(['2026-11-22T09:57:00.000Z', '2026-11-22T09:55:12.000Z']);
    expect(enriched?.status).toBe('triggered');
  });

  it('changes nothing the second time the same rows come back', () => {
    const once = enrichIncident(openedFromV2Alert(), { ok: true, value: [row()] }, NOW);
    if (!once) throw new Error('expected a change');
    expect(enrichIncident(once, { ok: true, value: [row()] }, NOW)).toBeUndefined();
  });

  it('leaves the sign-ins as they were and says why when the lookup failed', () => {
    const incident = openedFromV2Alert();
    const failed = enrichIncident(incident, { ok: false, reason: 'HTTP 403 from the workspace', permission: 'Log Analytics Reader' }, NOW);
    expect(failed?.recentSignIns).toEqual(incident.recentSignIns);
    expect(failed?.enrichment).toEqual({ at: NOW.toISOString(), ok: false, note: 'Sign-in details could not be loaded from Log Analytics: HTTP 403 from the workspace' });
    if (!failed) throw new Error('expected a note');
    expect(enrichIncident(failed, { ok: false, reason: 'HTTP 403 from the workspace' }, NOW)).toBeUndefined();
  });

  it('does not mutate the incident it was given', () => {
    const incident = openedFromV2Alert();
    const before = structuredClone(incident);
    enrichIncident(incident, { ok: true, value: [row()] }, NOW);
    expect(incident).toEqual(before);
  });
});
