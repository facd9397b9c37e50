import { describe, expect, it } from 'vitest';
import { parsedAlert as baseAlert } from '../../support/parsed-alert.js';
import { DEFAULT_ESCALATION_POLICY as POLICY } from '../../../bot/escalation/escalation-policy.js';
import type { ParsedAlert, SignInDetails, Subject } from '../../../bot/intake/alert.js';
import { decideAlert, type AlertDecision } from '../../../bot/incidents/decide-alert.js';
import { RECENT_SIGNINS_KEPT, type Incident, type ResolvedIncident } from '../../../bot/incidents/incident.js';

const NOW = new Date('2025-03-01T12:00:00.000Z');
const USER: Subject = { kind: 'user', key: 'user:bg1@contoso.onmicrosoft.com', upn: 'bg1@contoso.onmicrosoft.com' };

function signIn(time: string, extra: Partial<SignInDetails> = {}): SignInDetails {
  return { time, upn: 'bg1@contoso.onmicrosoft.com', ipAddress: '203.0.113.7', resultType: '0', ...extra };
}

function alert(overrides: Partial<ParsedAlert> = {}): ParsedAlert {
  const firedAt = overrides.firedAt ?? '2025-03-01T11:58:00.000Z';
  return baseAlert({ alertId: '/subscriptions/s/providers/Microsoft.AlertsManagement/alerts/a-1', subject: USER, signIns: [signIn(firedAt)], ...overrides });
}

function created(input: ParsedAlert, id = 'inc-1'): Incident {
  const decision = decideAlert(input, {}, NOW, id, POLICY);
  expect(decision.outcome).toBe('created');
  return decision.incident;
}

function previousVersionOf(decision: AlertDecision): number | undefined {
  return decision.outcome === 'duplicate' ? undefined : decision.previousVersion;
}

describe('decideAlert: a first alert about a subject', () => {
  it('opens a triggered incident at version 1 with one occurrence', () => {
    const input = alert();
    const decision = decideAlert(input, {}, NOW, 'inc-1', POLICY);
    expect(decision.outcome).toBe('created');
    expect(previousVersionOf(decision)).toBeUndefined();
    expect(decision.incident).toMatchObject({
      status: 'triggered',
      id: 'inc-1',
      version: 1,
      occurrences: 1,
      subject: USER,
      severity: 'Sev1',
      ruleName: 'Break-glass sign-in',
      openedAt: NOW.toISOString(),
      firstSeen: input.firedAt,
      lastSeen: input.firedAt,
      firstAlertId: input.alertId,
      lastAlertId: input.alertId,
      latest: input.signIns[0],
      recentSignIns: input.signIns,
      links: { searchResults: 'https://portal.azure.com/#search-1', portal: 'https://portal.azure.com/#alert-1' },
    });
    expect(decision.incident.monitorResolvedAt).toBeUndefined();
  });

  it('keeps at most RECENT_SIGNINS_KEPT sign-ins from a large first alert', () => {
    const many = Array.from({ length: RECENT_SIGNINS_KEPT + 5 }, (_, i) => signIn(`2025-03-01T11:${String(59 - i).padStart(2, '0')}:00.000Z`));
    const incident = created(alert({ signIns: many }));
    expect(incident.recentSignIns).toEqual(many.slice(0, RECENT_SIGNINS_KEPT));
  });

  it('headlines a successful user sign-in with the UPN', () => {
    expect(created(alert()).headline).toBe('Break-glass sign-in: bg1@contoso.onmicrosoft.com');
  });

  it('headlines a user sign-in with only an object id by that id', () => {
    const subject: Subject = { kind: 'user', key: 'user:3f0c9a7e-0000-4000-8000-000000000001', objectId: '3f0c9a7e-0000-4000-8000-000000000001' };
    expect(created(alert({ subject })).headline).toBe('Break-glass sign-in: 3f0c9a7e-0000-4000-8000-000000000001');
  });

  it('headlines a sign-in as failed only when every sign-in failed', () => {
    const failed = [signIn('2025-03-01T11:58:00.000Z', { resultType: '50126' }), signIn('2025-03-01T11:57:00.000Z', { resultType: '50053' })];
    expect(created(alert({ signIns: failed })).headline).toBe('Failed break-glass sign-in: bg1@contoso.onmicrosoft.com');
    const mixed = [signIn('2025-03-01T11:58:00.000Z', { resultType: '0' }), signIn('2025-03-01T11:57:00.000Z', { resultType: '50126' })];
    expect(created(alert({ signIns: mixed })).headline).toBe('Break-glass sign-in: bg1@contoso.onmicrosoft.com');
  });

  it('headlines a service principal by display name, else app id', () => {
    const named: Subject = { kind: 'service-principal', key: 'sp:11111111-2222-3333-4444-555555555555', appId: '11111111-2222-3333-4444-555555555555', displayName: 'Backup Runner' };
    expect(created(alert({ subject: named })).headline).toBe('Break-glass app sign-in: Backup Runner');
    const unnamed: Subject = { kind: 'service-principal', key: 'sp:11111111-2222-3333-4444-555555555555', appId: '11111111-2222-3333-4444-555555555555' };
    expect(created(alert({ subject: unnamed, signIns: [signIn('2025-03-01T11:58:00.000Z', { resultType: '7000215' })] })).headline).toBe(
      'Failed break-glass app sign-in: 11111111-2222-3333-4444-555555555555',
    );
  });

  it('headlines an alert that names no account by its rule', () => {
    const subject: Subject = { kind: 'monitoring', key: 'rule:break-glass sign-in', ruleName: 'Break-glass sign-in' };
    expect(created(alert({ subject, signIns: [] })).headline).toBe('Alert with no account named: Break-glass sign-in');
  });

  it('headlines an activity-log alert by its operation, else its rule', () => {
    const subject: Subject = { kind: 'monitoring', key: 'rule:diag-deleted', ruleName: 'Diagnostic setting deleted' };
    const operation = { time: '2025-03-01T11:58:00.000Z', operationName: 'Microsoft.Insights/diagnosticSettings/delete', caller: 'admin@contoso.com' };
    expect(created(alert({ subject, source: 'activity-log', alertRule: 'Diagnostic setting deleted', signIns: [operation] })).headline).toBe(
      'Monitoring change: Microsoft.Insights/diagnosticSettings/delete',
    );
    expect(created(alert({ subject, source: 'activity-log', alertRule: 'Diagnostic setting deleted', signIns: [] })).headline).toBe(
      'Monitoring change: Diagnostic setting deleted',
    );
  });
});

describe('decideAlert: the same alert again', () => {
  it('returns the stored incident unchanged as a duplicate', () => {
    const existing = created(alert());
    const decision = decideAlert(alert(), { duplicateOf: existing, openForSubject: existing }, NOW, 'inc-2', POLICY);
    expect(decision).toEqual({ outcome: 'duplicate', incident: existing });
    expect(decision.incident).toBe(existing);
  });
});

describe('decideAlert: another alert about an open subject', () => {
  const first = alert({ alertId: 'a-1', firedAt: '2025-03-01T11:00:00.000Z', signIns: [signIn('2025-03-01T11:00:00.000Z')] });

  it('groups into the open incident: version and occurrences go up, based on the version read', () => {
    const open = created(first);
    const second = alert({ alertId: 'a-2', firedAt: '2025-03-01T11:30:00.000Z', signIns: [signIn('2025-03-01T11:30:00.000Z', { ipAddress: '198.51.100.1' })] });
    const decision = decideAlert(second, { openForSubject: open }, NOW, 'unused', POLICY);
    expect(decision.outcome).toBe('grouped');
    expect(previousVersionOf(decision)).toBe(1);
    expect(decision.incident).toMatchObject({
      id: 'inc-1',
      version: 2,
      occurrences: 2,
      status: 'triggered',
      openedAt: open.openedAt,
      firstSeen: '2025-03-01T11:00:00.000Z',
      lastSeen: '2025-03-01T11:30:00.000Z',
      latest: second.signIns[0],
      firstAlertId: 'a-1',
      lastAlertId: 'a-2',
    });
    expect(decision.incident.recentSignIns).toEqual([second.signIns[0], first.signIns[0]]);
  });

  it('does not mutate the open incident it was given', () => {
    const open = created(first);
    const snapshot = structuredClone(open);
    decideAlert(alert({ alertId: 'a-2', firedAt: '2025-03-01T11:30:00.000Z', severity: 'Sev0' }), { openForSubject: open }, NOW, 'unused', POLICY);
    expect(open).toEqual(snapshot);
  });

  it('keeps lastSeen, latest and links when a late alert is older, and lowers firstSeen to it', () => {
    const open = created(first);
    const late = alert({
      alertId: 'a-0',
      firedAt: '2025-03-01T10:00:00.000Z',
      signIns: [signIn('2025-03-01T10:00:00.000Z', { ipAddress: '192.0.2.9' })],
      links: { searchResults: 'https://portal.azure.com/#old', portal: 'https://portal.azure.com/#old-alert' },
    });
    const { incident } = decideAlert(late, { openForSubject: open }, NOW, 'unused', POLICY);
    expect(incident.version).toBe(2);
    expect(incident.occurrences).toBe(2);
    expect(incident.firstSeen).toBe('2025-03-01T10:00:00.000Z');
    expect(incident.lastSeen).toBe('2025-03-01T11:00:00.000Z');
    expect(incident.latest).toEqual(first.signIns[0]);
    expect(incident.links).toEqual(open.links);
  });

  it('keeps recentSignIns newest first when a late alert is older', () => {
    const open = created(first);
    const late = alert({ alertId: 'a-0', firedAt: '2025-03-01T10:00:00.000Z', signIns: [signIn('2025-03-01T10:00:00.000Z', { ipAddress: '192.0.2.9' })] });
    const { incident } = decideAlert(late, { openForSubject: open }, NOW, 'unused', POLICY);
    expect(incident.recentSignIns.map((s) => s.time)).toEqual(['2025-03-01T11:00:00.000Z', '2025-03-01T10:00:00.000Z']);
  });

  it('keeps latest when the newer alert carries no sign-in', () => {
    const open = created(first);
    const { incident } = decideAlert(alert({ alertId: 'a-2', firedAt: '2025-03-01T11:30:00.000Z', signIns: [] }), { openForSubject: open }, NOW, 'unused', POLICY);
    expect(incident.lastSeen).toBe('2025-03-01T11:30:00.000Z');
    expect(incident.latest).toEqual(first.signIns[0]);
  });

  it('caps recentSignIns at RECENT_SIGNINS_KEPT while occurrences keep counting', () => {
    let incident = created(first);
    const total = RECENT_SIGNINS_KEPT + 4;
    for (let i = 1; i < total; i++) {
      const firedAt = new Date(Date.parse('2025-03-01T11:00:00.000Z') + i * 60_000).toISOString();
      incident = decideAlert(alert({ alertId: `a-${i + 1}`, firedAt, signIns: [signIn(firedAt)] }), { openForSubject: incident }, NOW, 'unused', POLICY).incident;
    }
    expect(incident.occurrences).toBe(total);
    expect(incident.version).toBe(total);
    expect(incident.recentSignIns).toHaveLength(RECENT_SIGNINS_KEPT);
    expect(incident.recentSignIns[0]?.time).toBe(incident.lastSeen);
  });

  it('raises the severity to the most severe alert and never lowers it', () => {
    const open = created(alert({ alertId: 'a-1', severity: 'Sev2' }));
    const raised = decideAlert(alert({ alertId: 'a-2', severity: 'Sev0' }), { openForSubject: open }, NOW, 'unused', POLICY).incident;
    expect(raised.severity).toBe('Sev0');
    const kept = decideAlert(alert({ alertId: 'a-3', severity: 'Sev3' }), { openForSubject: raised }, NOW, 'unused', POLICY).incident;
    expect(kept.severity).toBe('Sev0');
  });

  it('keeps an acknowledgement when grouping into an acknowledged incident', () => {
    const open = created(first);
    const acknowledged: Incident = { ...open, status: 'acknowledged', acknowledgedBy: { id: 'u1', name: 'Ada' }, acknowledgedAt: NOW.toISOString() };
    const { incident } = decideAlert(alert({ alertId: 'a-2' }), { openForSubject: acknowledged }, NOW, 'unused', POLICY);
    expect(incident).toMatchObject({ status: 'acknowledged', acknowledgedBy: { id: 'u1', name: 'Ada' }, occurrences: 2 });
  });
});

describe('decideAlert: Azure Monitor reports the condition resolved', () => {
  it('marks the incident holding the fired alert, bumps its version and leaves its status', () => {
    const fired = created(alert({ alertId: 'a-1' }));
    const notice = alert({ alertId: 'a-1', monitorCondition: 'Resolved', resolvedAt: '2025-03-01T11:59:30.000Z' });
    const decision = decideAlert(notice, { firedIncident: fired, openForSubject: fired }, NOW, 'unused', POLICY);
    expect(decision.outcome).toBe('resolved-notice');
    expect(previousVersionOf(decision)).toBe(1);
    expect(decision.incident).toEqual({
      ...fired,
      version: 2,
      monitorResolvedAt: '2025-03-01T11:59:30.000Z',
      timeline: [...fired.timeline, { at: '2025-03-01T11:59:30.000Z', actor: { id: 'glasswatch', name: 'Glasswatch' }, kind: 'monitor-resolved', text: 'Azure Monitor reported the condition resolved' }],
    });
  });

  it('uses the commit time when the notice carries no resolvedAt', () => {
    const fired = created(alert({ alertId: 'a-1' }));
    const { incident } = decideAlert(alert({ alertId: 'a-1', monitorCondition: 'Resolved' }), { firedIncident: fired }, NOW, 'unused', POLICY);
    expect(incident.monitorResolvedAt).toBe(NOW.toISOString());
  });

  it('opens a visible incident for a notice about an alert never seen firing', () => {
    const notice = alert({ alertId: 'a-9', monitorCondition: 'Resolved', resolvedAt: '2025-03-01T11:59:30.000Z' });
    const decision = decideAlert(notice, {}, NOW, 'inc-9', POLICY);
    expect(decision.outcome).toBe('resolved-notice');
    expect(previousVersionOf(decision)).toBeUndefined();
    expect(decision.incident).toMatchObject({
      id: 'inc-9',
      status: 'triggered',
      version: 1,
      occurrences: 1,
      monitorResolvedAt: '2025-03-01T11:59:30.000Z',
    });
  });
});

describe('decideAlert: a resolved incident is history', () => {
  it('opens a new incident when the only incident for the subject is resolved', () => {
    const old = created(alert({ alertId: 'a-1' }));
    const resolved: ResolvedIncident = {
      ...old,
      status: 'resolved',
      resolvedBy: { id: 'u1', name: 'Ada' },
      resolvedAt: NOW.toISOString(),
      resolution: 'drill',
    };
    // The store only answers openForSubject with a non-resolved incident.
    const decision = decideAlert(alert({ alertId: 'a-2' }), { openForSubject: undefined }, NOW, 'inc-2', POLICY);
    expect(decision.outcome).toBe('created');
    expect(decision.incident).toMatchObject({ id: 'inc-2', version: 1, occurrences: 1, status: 'triggered' });
    expect(decision.incident.id).not.toBe(resolved.id);
  });
});
