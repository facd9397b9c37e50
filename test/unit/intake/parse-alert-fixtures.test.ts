import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAlert } from '../../../bot/intake/parse-alert.js';
import type { ParsedAlert } from '../../../bot/intake/alert.js';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../fixtures/alerts/${name}`, import.meta.url), 'utf8'));

const parsed = (name: string): ParsedAlert => {
  const result = parseAlert(fixture(name));
  if (!result.ok) throw new Error(`${name} did not parse: ${result.code} ${result.message}`);
  return result.alert;
};

const SUBSCRIPTION = '/subscriptions/8f3c2a71-5d4e-4b9a-9c1e-2f7d6a0b3e15';
const alertIdOf = (guid: string) => `${SUBSCRIPTION}/providers/Microsoft.AlertsManagement/alerts/${guid}`;

describe('parseAlert on Log Alerts V2 fixtures', () => {
  it('reads a user sign-in from the dimensions', () => {
    const alert = parsed('log-v2-signin-user.json');
    expect(alert.alertId).toBe(alertIdOf('0e1f2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a5b'));
    expect(alert.monitorCondition).toBe('Fired');
    expect(alert.firedAt).toBe('2025-03-14T09:11:02.481Z');
    expect(alert.resolvedAt).toBeUndefined();
    expect(alert.source).toBe('log-v2');
    expect(alert.monitoringService).toBe('Log Alerts V2');
    expect(alert.alertRule).toBe('Break-glass account sign-in');
    expect(alert.alertRuleId).toBe('6a1d9c3e-27b4-4f08-b5e2-91c7d3a8f460');
    expect(alert.severity).toBe('Sev0');
    expect(alert.description).toMatch(/^An emergency access \(break-glass\) account signed in/);
    expect(alert.subject).toEqual({
      kind: 'user',
      key: 'user:bg-admin-01@contoso.onmicrosoft.com',
      upn: 'bg-admin-01@contoso.onmicrosoft.com',
    });
    // V2 alerts carry no rows, so no sign-in time: the card shows firedAt instead.
    expect(alert.signIns).toEqual([
      { upn: 'bg-admin-01@contoso.onmicrosoft.com', ipAddress: '203.0.113.24', app: 'Azure Portal', resultType: '0' },
    ]);
  });

  it('keeps all three kinds of link, as https URLs', () => {
    const { links } = parsed('log-v2-signin-user.json');
    expect(links.searchResults).toMatch(/^https:\/\/api\.loganalytics\.io\/v1\/workspaces\/4b7e9f02-.*\/query\?query=SigninLogs/);
    expect(links.filteredSearchResults).toContain('tostring%28UserPrincipalName%29');
    expect(links.portal).toMatch(/^https:\/\/portal\.azure\.com\/#@c1a2b3c4-/);
    // The portal link prefers the view filtered by the dimensions.
    expect(links.portal).toContain('H4sIAAAAAAAAA3VQy07DMBC89ytWuRSkSnFCSqGqkHpA4gAHBCe4VI69aS0lbuRHoYf');
  });

  it('reads a failed sign-in with its result code, object id and location', () => {
    const alert = parsed('log-v2-signin-failed.json');
    expect(alert.alertId).toBe(alertIdOf('5c2b8e41-9f3a-4d17-a6c0-3e8b1f7d2a95'));
    expect(alert.firedAt).toBe('2025-03-14T09:21:37.092Z');
    expect(alert.subject).toEqual({
      kind: 'user',
      key: 'user:bg-admin-02@contoso.onmicrosoft.com',
      upn: 'bg-admin-02@contoso.onmicrosoft.com',
      objectId: '9d4e1b7c-2a6f-4e3d-8c5b-7f1a0e9d2c64',
    });
    expect(alert.signIns).toHaveLength(1);
    expect(alert.signIns[0]).toEqual({
      upn: 'bg-admin-02@contoso.onmicrosoft.com',
      userId: '9d4e1b7c-2a6f-4e3d-8c5b-7f1a0e9d2c64',
      ipAddress: '198.51.100.77',
      location: 'NL',
      app: 'Microsoft Azure PowerShell',
      resultType: '50126',
    });
  });

  it('reads a service principal sign-in and keys it by app id, not by object id', () => {
    const alert = parsed('log-v2-service-principal.json');
    expect(alert.source).toBe('log-v2');
    expect(alert.severity).toBe('Sev1');
    expect(alert.subject).toEqual({
      kind: 'service-principal',
      key: 'sp:e2c4a6b8-1d3f-4a5c-9e7b-0f2d4c6a8e1b',
      appId: 'e2c4a6b8-1d3f-4a5c-9e7b-0f2d4c6a8e1b',
      displayName: 'glasswatch-emergency-automation',
    });
    expect(alert.signIns[0]).toEqual({
      appId: 'e2c4a6b8-1d3f-4a5c-9e7b-0f2d4c6a8e1b',
      servicePrincipalName: 'glasswatch-emergency-automation',
      ipAddress: '20.50.2.14',
      resultType: '0',
    });
  });

  it('makes an alert without dimensions an incident about the rule', () => {
    const alert = parsed('log-v2-no-dimensions.json');
    expect(alert.alertId).toBe(alertIdOf('d91c5f27-6e3a-4b80-9f14-2a7e5c0b8d36'));
    expect(alert.signIns).toEqual([]);
    expect(alert.subject).toEqual({
      kind: 'monitoring',
      key: 'rule:break-glass account sign-in',
      ruleName: 'Break-glass account sign-in',
    });
    expect(alert.links.searchResults).toBeDefined();
  });

  it('reads a Resolved notice with the same alertId as its Fired alert', () => {
    const alert = parsed('log-v2-resolved.json');
    expect(alert.alertId).toBe(parsed('log-v2-signin-user.json').alertId);
    expect(alert.monitorCondition).toBe('Resolved');
    expect(alert.firedAt).toBe('2025-03-14T09:11:02.481Z');
    expect(alert.resolvedAt).toBe('2025-03-14T09:26:05.118Z');
    expect(alert.subject.key).toBe('user:bg-admin-01@contoso.onmicrosoft.com');
  });
});

describe('parseAlert on V1 log alert fixtures', () => {
  it('reads the PascalCase context and its PrimaryResult row', () => {
    const alert = parsed('log-v1-signin.json');
    expect(alert.alertId).toBe(alertIdOf('7b2e4d60-1f8a-4c39-b5d7-0e6a2c9f4b13'));
    expect(alert.source).toBe('log-v1');
    expect(alert.monitoringService).toBe('Log Analytics');
    expect(alert.firedAt).toBe('2025-03-14T09:12:15.330Z');
    expect(alert.subject).toEqual({
      kind: 'user',
      key: 'user:bg-admin-01@contoso.onmicrosoft.com',
      upn: 'bg-admin-01@contoso.onmicrosoft.com',
      objectId: '3f0c6d2a-8b1e-4c7f-9a5d-2e6b8c4f1a90',
    });
    // CreatedDateTime (the sign-in) wins over TimeGenerated (ingestion); LocationDetails arrives as JSON text.
    expect(alert.signIns).toEqual([
      {
        time: '2025-03-14T09:06:12.118Z',
        upn: 'bg-admin-01@contoso.onmicrosoft.com',
        userId: '3f0c6d2a-8b1e-4c7f-9a5d-2e6b8c4f1a90',
        ipAddress: '203.0.113.24',
        location: 'Amsterdam, Noord-Holland, NL',
        app: 'Azure Portal',
        resultType: '0',
      },
    ]);
    expect(Object.keys(alert.links).sort()).toEqual(['filteredSearchResults', 'portal', 'searchResults']);
  });

  it('reads other casings and aliases of the same fields', () => {
    const alert = parsed('log-v1-variant-casing.json');
    expect(alert.source).toBe('log-v1');
    expect(alert.subject).toEqual({
      kind: 'user',
      key: 'user:bg-admin-01@contoso.onmicrosoft.com',
      upn: 'BG-Admin-01@Contoso.onmicrosoft.com',
    });
    expect(alert.signIns).toEqual([
      {
        time: '2025-03-14T13:33:27.512Z',
        upn: 'BG-Admin-01@Contoso.onmicrosoft.com',
        ipAddress: '2001:db8:85a3::8a2e:370:7334',
        location: 'Seattle, Washington, US',
        app: 'Microsoft Graph Command Line Tools',
        resultType: '0',
      },
    ]);
    expect(alert.links.searchResults).toMatch(/^https:\/\/api\.loganalytics\.io\//);
    expect(alert.links.portal).toMatch(/^https:\/\/portal\.azure\.com\//);
    expect(alert.links.filteredSearchResults).toBeUndefined();
  });

  it('keeps every row, newest first, and takes the subject from the newest', () => {
    const alert = parsed('log-v1-two-accounts.json');
    expect(alert.signIns.map((signIn) => [signIn.time, signIn.upn, signIn.resultType])).toEqual([
      ['2025-03-14T09:07:58.917Z', 'bg-admin-02@contoso.onmicrosoft.com', '50126'],
      ['2025-03-14T09:05:44.203Z', 'bg-admin-01@contoso.onmicrosoft.com', '0'],
    ]);
    expect(alert.signIns[0]?.resultDescription).toBe('Error validating credentials due to invalid username or password.');
    expect(alert.signIns[0]?.location).toBe('Frankfurt am Main, Hessen, DE');
    expect(alert.subject.key).toBe('user:bg-admin-02@contoso.onmicrosoft.com');
  });
});

describe('parseAlert on other common-schema alerts', () => {
  it('reads an activity-log alert as an incident about the monitoring', () => {
    const alert = parsed('activity-log-diagnostic-settings-delete.json');
    expect(alert.alertId).toBe(alertIdOf('f0a2c4e6-8b0d-4f2a-9c4e-6a8c0e2a4c6e'));
    expect(alert.source).toBe('activity-log');
    expect(alert.monitoringService).toBe('Activity Log - Administrative');
    expect(alert.severity).toBe('Sev1');
    expect(alert.firedAt).toBe('2025-03-15T07:03:44.125Z');
    // The caller changed the monitoring: the incident is about the rule, not about the caller.
    expect(alert.subject).toEqual({
      kind: 'monitoring',
      key: 'rule:monitoring chain changed: diagnostic setting deleted',
      ruleName: 'Monitoring chain changed: diagnostic setting deleted',
    });
    expect(alert.signIns).toEqual([
      {
        operationName: 'Microsoft.Insights/diagnosticSettings/delete',
        caller: 'ops.engineer@contoso.com',
        status: 'Succeeded',
        time: '2025-03-15T07:01:58.663Z',
      },
    ]);
    expect(alert.links).toEqual({});
  });

  it('reads a metric alert as source other, about the rule', () => {
    const alert = parsed('metric-platform.json');
    expect(alert.source).toBe('other');
    expect(alert.monitoringService).toBe('Platform');
    expect(alert.severity).toBe('Sev3');
    expect(alert.subject).toEqual({ kind: 'monitoring', key: 'rule:glasswatch host cpu', ruleName: 'Glasswatch host CPU' });
    expect(alert.signIns).toEqual([]);
  });
});

describe('parseAlert on payloads that are not the common schema', () => {
  it.each([
    ['legacy-log-search-webhook.json', /legacy log search alert webhook/],
    ['legacy-appinsights-log-alert.json', /legacy log search alert webhook/],
    ['legacy-classic-metric.json', /classic or non-common-schema metric/],
    ['legacy-metric-alert-v2.json', /classic or non-common-schema metric/],
  ])('answers not-common-schema for %s, with the fix', (name, kind) => {
    const result = parseAlert(fixture(name));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.code).toBe('not-common-schema');
    expect(result.message).toMatch(kind);
    expect(result.message).toContain('Monitor → Alerts → Action groups');
    expect(result.message).toContain('"Enable the common alert schema" = Yes');
    expect(result.message).toContain('useCommonAlertSchema: true');
    expect(result.message).toContain('webhookReceivers');
  });
});
