import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAlert, type ParseResult } from '../../../bot/intake/parse-alert.js';
import type { ParsedAlert } from '../../../bot/intake/alert.js';

const ESSENTIALS = {
  alertId: '/subscriptions/8f3c2a71-5d4e-4b9a-9c1e-2f7d6a0b3e15/providers/Microsoft.AlertsManagement/alerts/1b2c3d4e',
  alertRule: 'Break-glass account sign-in',
  severity: 'Sev0',
  signalType: 'Log',
  monitorCondition: 'Fired',
  monitoringService: 'Log Alerts V2',
  firedDateTime: '2025-03-14T09:11:02.4817365Z',
};

/** A common-schema body with the given essentials overrides and alertContext. */
const alertWith = (overrides: Record<string, unknown>, alertContext?: unknown) => ({
  schemaId: 'azureMonitorCommonAlertSchema',
  data: { essentials: { ...ESSENTIALS, ...overrides }, alertContext },
});

const v2Context = (dimensions: unknown) => ({ conditionType: 'LogQueryCriteria', condition: { allOf: [{ dimensions }] } });

const ok = (result: ParseResult): ParsedAlert => {
  if (!result.ok) throw new Error(`expected ok, got ${result.code}: ${result.message}`);
  return result.alert;
};

const failure = (result: ParseResult): { code: string; message: string } => {
  if (result.ok) throw new Error('expected a failure');
  return result;
};

describe('invalid-alert: the common schema with unusable essentials', () => {
  it.each([
    ['alertId missing', { alertId: undefined }, 'data.essentials.alertId: expected a non-empty string'],
    ['alertId blank', { alertId: '   ' }, 'data.essentials.alertId: expected a non-empty string'],
    ['alertId a number', { alertId: 42 }, 'got number 42'],
    ['alertId overlong', { alertId: 'x'.repeat(1_025) }, 'at most 1024 characters'],
    ['monitorCondition Bogus', { monitorCondition: 'Bogus' }, 'data.essentials.monitorCondition: expected "Fired" or "Resolved", got "Bogus"'],
    ['monitorCondition missing', { monitorCondition: undefined }, 'got undefined'],
    ['firedDateTime yesterday', { firedDateTime: 'yesterday' }, 'data.essentials.firedDateTime: expected an ISO 8601 UTC date-time'],
    ['firedDateTime a number', { firedDateTime: 1_741_943_462_000 }, 'data.essentials.firedDateTime'],
    ['firedDateTime not a calendar date', { firedDateTime: '2025-02-30T10:00:00Z' }, 'data.essentials.firedDateTime'],
    ['firedDateTime a bare number string', { firedDateTime: '1' }, 'data.essentials.firedDateTime'],
  ])('%s', (_name, overrides, expected) => {
    const result = failure(parseAlert(alertWith(overrides)));
    expect(result.code).toBe('invalid-alert');
    expect(result.message).toContain(expected);
  });

  it('names every unusable field at once', () => {
    const { message } = failure(parseAlert(alertWith({ alertId: null, monitorCondition: 'Bogus', firedDateTime: 'yesterday' })));
    expect(message).toContain('data.essentials.alertId');
    expect(message).toContain('data.essentials.monitorCondition');
    expect(message).toContain('data.essentials.firedDateTime');
  });

  it.each([
    ['missing', { schemaId: 'azureMonitorCommonAlertSchema', data: {} }],
    ['an array', { schemaId: 'azureMonitorCommonAlertSchema', data: { essentials: [] } }],
    ['a string', { schemaId: 'azureMonitorCommonAlertSchema', data: { essentials: 'Fired' } }],
    ['without data', { schemaId: 'azureMonitorCommonAlertSchema' }],
  ])('essentials %s', (_name, body) => {
    const result = failure(parseAlert(body));
    expect(result.code).toBe('invalid-alert');
    expect(result.message).toMatch(/^data\.essentials: expected an object/);
  });

  it('never echoes a long or multi-line value whole into the message', () => {
    const { message } = failure(parseAlert(alertWith({ monitorCondition: `Bogus\n${'A'.repeat(5_000)}` })));
    expect(message).not.toContain('\n');
    expect(message.length).toBeLessThan(400);
  });
});

describe('not-common-schema: JSON that is not a common-schema alert', () => {
  it.each([
    ['null', null],
    ['a number', 42],
    ['a string', 'azureMonitorCommonAlertSchema'],
    ['an array', [ESSENTIALS]],
    ['an empty object', {}],
    ['another schemaId', { schemaId: 'Microsoft.Insights/activityLogs', data: { status: 'Activated' } }],
    ['schemaId of the wrong type', { schemaId: 1, data: { essentials: ESSENTIALS } }],
    ['essentials without the envelope', { essentials: ESSENTIALS }],
  ])('%s', (_name, body) => {
    const result = failure(parseAlert(body));
    expect(result.code).toBe('not-common-schema');
    expect(result.message).toContain('useCommonAlertSchema: true');
  });

  it('says which schemaId arrived', () => {
    const { message } = failure(parseAlert({ schemaId: 'Microsoft.Insights/activityLogs', data: {} }));
    expect(message).toContain('"Microsoft.Insights/activityLogs"');
  });

  it('compares the schemaId and field names case-insensitively', () => {
    const alert = ok(parseAlert({ SchemaId: 'AzureMonitorCommonAlertSchema', Data: { Essentials: { ...ESSENTIALS, monitorCondition: 'FIRED' } } }));
    expect(alert.monitorCondition).toBe('Fired');
  });
});

describe('tolerance: enrichment that is missing or wrong-typed never drops the alert', () => {
  it('parses essentials alone, with no alertContext (a structurally truncated alert)', () => {
    const alert = ok(parseAlert(alertWith({})));
    expect(alert.signIns).toEqual([]);
    expect(alert.links).toEqual({});
    expect(alert.subject).toEqual({ kind: 'monitoring', key: 'rule:break-glass account sign-in', ruleName: 'Break-glass account sign-in' });
  });

  it('rejects a body cut in half at JSON.parse, which is the HTTP layer\'s 400', () => {
    const text = readFileSync(new URL('../../fixtures/alerts/log-v2-signin-user.json', import.meta.url), 'utf8');
    expect(() => JSON.parse(text.slice(0, Math.floor(text.length / 2)))).toThrow(SyntaxError);
  });

  it.each([
    ['alertContext a string', 'oops'],
    ['condition an array', { condition: [] }],
    ['allOf an object', { condition: { allOf: { dimensions: [] } } }],
    ['dimensions not an array', v2Context({ name: 'UserPrincipalName', value: 'bg@contoso.onmicrosoft.com' })],
    ['dimension entries of the wrong type', v2Context([null, 7, 'UserPrincipalName', [], { name: 7, value: 'x' }])],
  ])('%s', (_name, alertContext) => {
    const alert = ok(parseAlert(alertWith({}, alertContext)));
    expect(alert.signIns).toEqual([]);
    expect(alert.subject.kind).toBe('monitoring');
  });

  it('ignores wrong-typed dimension values but keeps the good ones', () => {
    const alert = ok(
      parseAlert(
        alertWith(
          {},
          v2Context([
            { name: 'UserPrincipalName', value: 'bg-admin-01@contoso.onmicrosoft.com' },
            { name: 'IPAddress', value: 203 },
            { name: 'AppDisplayName', value: { name: 'Azure Portal' } },
            { name: 'ResultType', value: 50126 },
          ]),
        ),
      ),
    );
    expect(alert.signIns).toEqual([{ upn: 'bg-admin-01@contoso.onmicrosoft.com', resultType: '50126' }]);
  });

  it('falls back on wrong-typed optional essentials', () => {
    const alert = ok(
      parseAlert(alertWith({ alertRule: 5, severity: ['Sev0'], monitoringService: null, description: {}, resolvedDateTime: 'soon' })),
    );
    expect(alert.alertRule).toBe('unnamed alert rule');
    expect(alert.severity).toBe('unknown');
    expect(alert.monitoringService).toBe('');
    expect(alert.source).toBe('other');
    expect(alert.description).toBeUndefined();
    expect(alert.resolvedAt).toBeUndefined();
    expect(alert.subject.key).toBe('rule:unnamed alert rule');
  });

  it('skips V1 rows and columns of the wrong type', () => {
    const context = {
      SearchResults: {
        tables: [
          {
            name: 'PrimaryResult',
            columns: [{ name: 'UserPrincipalName' }, 'IPAddress', null, { type: 'string' }],
            rows: ['not a row', 42, null, ['bg-admin-01@contoso.onmicrosoft.com', '203.0.113.24', 'x', 'y']],
          },
        ],
      },
    };
    const alert = ok(parseAlert(alertWith({ monitoringService: 'Log Analytics' }, context)));
    expect(alert.signIns).toEqual([{ upn: 'bg-admin-01@contoso.onmicrosoft.com', ipAddress: '203.0.113.24' }]);
  });

  it.each([
    ['tables not an array', { SearchResults: { tables: 'PrimaryResult' } }],
    ['rows not an array', { SearchResults: { tables: [{ name: 'PrimaryResult', columns: [{ name: 'UserPrincipalName' }], rows: 'x' }] } }],
    ['SearchResults a string', { SearchResults: '{"tables":[]}', IncludedSearchResults: 'True' }],
    ['no rows at all', { IncludedSearchResults: 'False' }],
  ])('V1 with %s still parses', (_name, context) => {
    const alert = ok(parseAlert(alertWith({ monitoringService: 'Log Analytics' }, context)));
    expect(alert.source).toBe('log-v1');
    expect(alert.signIns).toEqual([]);
  });

  it('reads a V1 alert without rows from its Dimensions', () => {
    const context = {
      IncludedSearchResults: 'False',
      Dimensions: [{ name: 'UserPrincipalName', value: 'bg-admin-02@contoso.onmicrosoft.com' }],
    };
    const alert = ok(parseAlert(alertWith({ monitoringService: 'Log Analytics' }, context)));
    expect(alert.subject.key).toBe('user:bg-admin-02@contoso.onmicrosoft.com');
  });

  it('drops links that are not https URLs', () => {
    const context = {
      condition: {
        allOf: [
          {
            linkToSearchResultsAPI: 'javascript:alert(1)',
            linkToFilteredSearchResultsAPI: 'http://api.loganalytics.io/v1/query',
            linkToSearchResultsUI: 'not a url',
            linkToFilteredSearchResultsUI: 42,
          },
        ],
      },
    };
    expect(ok(parseAlert(alertWith({}, context))).links).toEqual({});
  });

  it('reads an activity-log alert whose status and operationName are {value} objects', () => {
    const context = {
      operationName: { value: 'Microsoft.Insights/actionGroups/delete', localizedValue: 'Delete action group' },
      status: { value: 'Succeeded' },
      caller: 'ops.engineer@contoso.com',
      eventTimestamp: 'not a time',
    };
    const alert = ok(parseAlert(alertWith({ monitoringService: 'Activity Log - Administrative' }, context)));
    expect(alert.signIns).toEqual([
      { operationName: 'Microsoft.Insights/actionGroups/delete', status: 'Succeeded', caller: 'ops.engineer@contoso.com' },
    ]);
  });
});

describe('hostile input', () => {
  it('treats __proto__ and constructor keys as plain data and pollutes nothing', () => {
    const body: unknown = JSON.parse(
      JSON.stringify(alertWith({}, v2Context([{ name: 'UserPrincipalName', value: 'bg-admin-01@contoso.onmicrosoft.com' }]))).replace(
        '"data":{',
        '"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"data":{"__proto__":{"essentials":null},',
      ),
    );
    const alert = ok(parseAlert(body));
    expect(alert.subject.key).toBe('user:bg-admin-01@contoso.onmicrosoft.com');
    expect(Object.prototype).not.toHaveProperty('polluted');
    expect({}).not.toHaveProperty('polluted');
  });

  it('cleans control characters and caps long strings from the payload', () => {
    const upn = `bg-admin-01@contoso.onmicrosoft.com\n[INFO] forged log line\u202e`;
    const alert = ok(
      parseAlert(
        alertWith(
          { alertRule: `  ${'R'.repeat(5_000)}  `, description: 'line one\r\nline two' },
          v2Context([
            { name: 'UserPrincipalName', value: upn },
            { name: 'AppDisplayName', value: 'A'.repeat(10_000) },
          ]),
        ),
      ),
    );
    expect(alert.alertRule.length).toBeLessThanOrEqual(1_024);
    expect(alert.description).toBe('line one  line two');
    expect(alert.signIns[0]?.upn).toBe('bg-admin-01@contoso.onmicrosoft.com [INFO] forged log line');
    expect(alert.signIns[0]?.app?.length).toBeLessThanOrEqual(1_024);
  });

  it('answers, never throws, for a body whose getter throws', () => {
    const body = {
      schemaId: 'azureMonitorCommonAlertSchema',
      get data(): unknown {
        throw new Error('boom');
      },
    };
    const result = failure(parseAlert(body));
    expect(result.code).toBe('invalid-alert');
    expect(result.message).toContain('could not be read');
  });

  it('handles deeply nested junk in the alertContext', () => {
    let nested: unknown = 'bottom';
    for (let depth = 0; depth < 10_000; depth += 1) nested = { condition: nested, allOf: [nested] };
    expect(ok(parseAlert(alertWith({}, nested))).signIns).toEqual([]);
  });
});
