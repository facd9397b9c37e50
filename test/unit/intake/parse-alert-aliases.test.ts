import { describe, expect, it } from 'vitest';
import { alertSourceOf } from '../../../bot/intake/alert-source.js';
import { cleanText } from '../../../bot/intake/clean-text.js';
import { fieldsOf } from '../../../bot/intake/case-insensitive.js';
import { formatLocation } from '../../../bot/intake/format-location.js';
import { identifySubject } from '../../../bot/intake/identify-subject.js';
import { parseAlert } from '../../../bot/intake/parse-alert.js';
import { readSignIn } from '../../../bot/intake/read-sign-in.js';
import { toIsoTime } from '../../../bot/intake/to-iso-time.js';

const OID = '3f0c6d2a-8b1e-4c7f-9a5d-2e6b8c4f1a90';
const APP = 'e2c4a6b8-1d3f-4a5c-9e7b-0f2d4c6a8e1b';

describe('readSignIn: names matched case-insensitively, with aliases', () => {
  it.each([
    [{ UserPrincipalName: 'a@contoso.com' }, { upn: 'a@contoso.com' }],
    [{ userPrincipalName: 'a@contoso.com' }, { upn: 'a@contoso.com' }],
    [{ Upn: 'a@contoso.com' }, { upn: 'a@contoso.com' }],
    [{ AccountUpn: 'a@contoso.com' }, { upn: 'a@contoso.com' }],
    [{ UserId: OID }, { userId: OID }],
    [{ ObjectId: OID }, { userId: OID }],
    [{ AccountObjectId: OID }, { userId: OID }],
    [{ IPAddress: '203.0.113.24' }, { ipAddress: '203.0.113.24' }],
    [{ IpAddress: '203.0.113.24' }, { ipAddress: '203.0.113.24' }],
    [{ ClientIP: '203.0.113.24' }, { ipAddress: '203.0.113.24' }],
    [{ AppDisplayName: 'Azure Portal' }, { app: 'Azure Portal' }],
    [{ ResourceDisplayName: 'Microsoft Graph' }, { app: 'Microsoft Graph' }],
    [{ ResultType: '50126' }, { resultType: '50126' }],
    [{ ResultType: 0 }, { resultType: '0' }],
    [{ Status: 'Failure' }, { resultType: 'Failure' }],
    [{ Status: { errorCode: 50126, failureReason: 'Invalid username or password.' } }, { resultType: '50126', resultDescription: 'Invalid username or password.' }],
    [{ Status: '{"errorCode":53003,"failureReason":"Blocked by Conditional Access"}' }, { resultType: '53003', resultDescription: 'Blocked by Conditional Access' }],
    [{ AppId: APP, ServicePrincipalName: 'automation' }, { appId: APP, servicePrincipalName: 'automation' }],
    [{ Location: 'NL' }, { location: 'NL' }],
    [{ LocationDetails: { city: 'Utrecht', countryOrRegion: 'NL' }, Location: 'NL' }, { location: 'Utrecht, NL' }],
  ])('%j', (row, expected) => {
    expect(readSignIn(fieldsOf(row))).toEqual(expected);
  });

  it('prefers the first alias when several are present', () => {
    expect(readSignIn(fieldsOf({ AppDisplayName: 'Azure Portal', ResourceDisplayName: 'Windows Azure Service Management API' }))?.app).toBe('Azure Portal');
    expect(readSignIn(fieldsOf({ TimeGenerated: '2025-03-14T09:08:00Z', CreatedDateTime: '2025-03-14T09:06:00Z', Upn: 'a@b.c' }))?.time).toBe('2025-03-14T09:06:00.000Z');
  });

  it('falls back to TimeGenerated when CreatedDateTime is absent', () => {
    expect(readSignIn(fieldsOf({ timegenerated: '2025-03-14T09:08:00Z', Upn: 'a@b.c' }))?.time).toBe('2025-03-14T09:08:00.000Z');
  });

  it('moves an object id found in UserPrincipalName to userId', () => {
    expect(readSignIn(fieldsOf({ UserPrincipalName: OID }))).toEqual({ userId: OID });
  });

  it('does not take ServicePrincipalId for an app id', () => {
    expect(readSignIn(fieldsOf({ ServicePrincipalId: OID }))).toBeUndefined();
  });

  it('names nothing from a time alone, or from blank values', () => {
    expect(readSignIn(fieldsOf({ TimeGenerated: '2025-03-14T09:08:00Z' }))).toBeUndefined();
    expect(readSignIn(fieldsOf({ UserPrincipalName: '   ', IPAddress: '' }))).toBeUndefined();
  });
});

describe('formatLocation', () => {
  it.each([
    [{ city: 'Amsterdam', state: 'Noord-Holland', countryOrRegion: 'NL' }, 'Amsterdam, Noord-Holland, NL'],
    ['{"city":"Seattle","state":"Washington","countryOrRegion":"US","geoCoordinates":{}}', 'Seattle, Washington, US'],
    [{ City: 'Paris', CountryOrRegion: 'FR' }, 'Paris, FR'],
    [{ countryOrRegion: 'DE' }, 'DE'],
    [{ city: '', state: null }, undefined],
    ['{"city":', undefined],
    ['Amsterdam', undefined],
    [42, undefined],
  ])('%j → %s', (value, expected) => {
    expect(formatLocation(value)).toBe(expected);
  });
});

describe('toIsoTime', () => {
  it.each([
    ['2025-03-14T09:11:02.4817365Z', '2025-03-14T09:11:02.481Z'],
    ['2025-03-15T07:01:58.6633108+00:00', '2025-03-15T07:01:58.663Z'],
    ['2025-03-15T09:01:58+02:00', '2025-03-15T07:01:58.000Z'],
    ['2025-03-14T09:11:02', '2025-03-14T09:11:02.000Z'],
    ['2024-02-29T00:00:00Z', '2024-02-29T00:00:00.000Z'],
  ])('%s → %s', (value, expected) => {
    expect(toIsoTime(value)).toBe(expected);
  });

  it.each(['yesterday', '1', '2025', '3/22/2019 1:36:31 PM', '2025-02-29T00:00:00Z', '2025-13-01T00:00:00Z', '2025-03-14T25:00:00Z', '', 1741943462000, null])(
    'rejects %j',
    (value) => {
      expect(toIsoTime(value)).toBeUndefined();
    },
  );
});

describe('alertSourceOf', () => {
  it.each([
    ['Log Alerts V2', 'log-v2'],
    ['log alerts v2', 'log-v2'],
    ['Log Analytics', 'log-v1'],
    ['Application Insights', 'log-v1'],
    ['Activity Log - Administrative', 'activity-log'],
    ['Activity Log - Policy', 'activity-log'],
    ['activity log - security', 'activity-log'],
    ['Platform', 'other'],
    ['ServiceHealth', 'other'],
    ['', 'other'],
  ])('%s → %s', (service, source) => {
    expect(alertSourceOf(service)).toBe(source);
  });
});

describe('identifySubject', () => {
  const rule = { name: 'Break-glass sign-in' };

  it('takes the first sign-in that names an account', () => {
    const subject = identifySubject('log-v1', [{ ipAddress: '203.0.113.24' }, { upn: 'BG@Contoso.com', userId: OID.toUpperCase() }], rule);
    expect(subject).toEqual({ kind: 'user', key: 'user:bg@contoso.com', upn: 'BG@Contoso.com', objectId: OID });
  });

  it('keys a user by object id when there is no UPN', () => {
    expect(identifySubject('log-v2', [{ userId: OID }], rule)).toEqual({ kind: 'user', key: `user:${OID}`, objectId: OID });
  });

  it('ignores a user id that is not a GUID', () => {
    expect(identifySubject('log-v2', [{ userId: 'bg-admin' }], rule).kind).toBe('monitoring');
  });

  it('keys a service principal by app id', () => {
    expect(identifySubject('log-v2', [{ appId: APP.toUpperCase() }], rule)).toEqual({ kind: 'service-principal', key: `sp:${APP}`, appId: APP });
  });

  it('makes activity-log alerts about the monitoring even when they name a caller', () => {
    expect(identifySubject('activity-log', [{ upn: 'someone@contoso.com', caller: 'someone@contoso.com' }], rule)).toEqual({
      kind: 'monitoring',
      key: 'rule:break-glass sign-in',
      ruleName: 'Break-glass sign-in',
    });
  });

  it("keys a monitoring subject by the rule's ARM id when the alert gives it", () => {
    const resourceId = '/subscriptions/8F3C/resourceGroups/RG/providers/microsoft.insights/scheduledqueryrules/Break-glass';
    expect(identifySubject('log-v2', [], { ...rule, resourceId }).key).toBe(`rule:${resourceId.toLowerCase()}`);
  });
});

describe('parseAlert essentials normalisation', () => {
  const body = (essentials: Record<string, unknown>) => ({
    schemaId: 'azureMonitorCommonAlertSchema',
    data: {
      essentials: { alertId: 'a-1', monitorCondition: 'resolved', firedDateTime: '2025-03-14T09:11:02Z', ...essentials },
    },
  });

  it.each([
    ['sev2', 'Sev2'],
    ['SEV4', 'Sev4'],
    ['3', 'Sev3'],
    [1, 'Sev1'],
    ['Critical', 'Critical'],
    [undefined, 'unknown'],
  ])('severity %j → %s', (severity, expected) => {
    const result = parseAlert(body({ severity }));
    expect(result.ok && result.alert.severity).toBe(expected);
  });

  it('normalises monitorCondition case', () => {
    const result = parseAlert(body({}));
    expect(result.ok && result.alert.monitorCondition).toBe('Resolved');
  });

  it('uses alertRuleID, when present, for alertRuleId and the grouping key', () => {
    const alertRuleID =
      '/subscriptions/8f3c2a71-5d4e-4b9a-9c1e-2f7d6a0b3e15/resourceGroups/rg/providers/microsoft.insights/scheduledqueryrules/Break-glass';
    const result = parseAlert(body({ alertRule: 'Break-glass', alertRuleID, originAlertId: 'instance-1' }));
    expect(result.ok && result.alert.alertRuleId).toBe(alertRuleID);
    expect(result.ok && result.alert.subject.key).toBe(`rule:${alertRuleID.toLowerCase()}`);
  });

  it('falls back to originAlertId for alertRuleId, and to the rule name for the key', () => {
    const result = parseAlert(body({ alertRule: 'Break-glass', originAlertId: 'instance-1' }));
    expect(result.ok && result.alert.alertRuleId).toBe('instance-1');
    expect(result.ok && result.alert.subject.key).toBe('rule:break-glass');
  });
});

describe('cleanText', () => {
  it('never leaves half of a surrogate pair at the cut', () => {
    const text = `${'a'.repeat(1_022)}😀😀`;
    const cleaned = cleanText(text);
    expect(cleaned).toBe(`${'a'.repeat(1_022)}…`);
  });

  it('replaces control and bidi characters, trims, and rejects blanks', () => {
    expect(cleanText(' a\tb\u202ec\u0000 ')).toBe('a b c');
    expect(cleanText(' \n ')).toBeUndefined();
    expect(cleanText(7)).toBeUndefined();
  });
});
