import type { LogsTable } from '@azure/monitor-query-logs';
import { describe, expect, it } from 'vitest';
import { cleanKqlValue, kqlDatetime, kqlDynamicStrings, kqlString, MAX_KQL_VALUE_LENGTH } from '../../../bot/tenant/kql.js';
import { logAnalyticsEndpoint, mapSignInTables, signInsQuery } from '../../../bot/tenant/logs-reader.js';
import { signInRowSchema } from '../../../bot/tenant/tenant-snapshot.js';
import { accountsIn } from '../../fakes/fake-log-analytics.js';

const INJECTION = "x' or 1==1 | union SigninLogs //";

/** The query with every KQL string literal ('…' or "…", backslash escapes) replaced by a placeholder. */
function withoutStringLiterals(query: string): string {
  return query.replace(/'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"/g, '<str>');
}

describe('kqlString', () => {
  it('escapes backslashes and single quotes', () => {
    expect(kqlString('plain@contoso.com')).toBe("'plain@contoso.com'");
    expect(kqlString("o'brien@contoso.com")).toBe("'o\\'brien@contoso.com'");
    expect(kqlString('a\\b')).toBe("'a\\\\b'");
    expect(kqlString("\\'")).toBe("'\\\\\\''");
  });

  it('keeps an injection attempt inside one literal', () => {
    const literal = kqlString(INJECTION);
    expect(literal).toBe("'x\\' or 1==1 | union SigninLogs //'");
    expect(withoutStringLiterals(`SigninLogs | where UserPrincipalName == ${literal} | take 1`)).toBe('SigninLogs | where UserPrincipalName == <str> | take 1');
  });

  it('refuses values with nothing usable left', () => {
    expect(() => kqlString('\n\u0000')).toThrow(RangeError);
    expect(() => kqlString('a'.repeat(MAX_KQL_VALUE_LENGTH + 1))).toThrow(RangeError);
  });
});

describe('cleanKqlValue', () => {
  it('strips control, line-separator and bidi characters and lone surrogates', () => {
    expect(cleanKqlValue('a\nb\r\u0000c\u2028d\u202ee\ud800f')).toBe('abcdef');
    expect(cleanKqlValue('  bg@contoso.com  ')).toBe('bg@contoso.com');
    expect(cleanKqlValue('emoji😀@contoso.com')).toBe('emoji😀@contoso.com');
    expect(cleanKqlValue('\t\n')).toBeUndefined();
  });
});

describe('kqlDynamicStrings', () => {
  it('builds a dynamic array that reads back to the same strings', () => {
    const values = ['bg-alpha@contoso.onmicrosoft.com', INJECTION, 'quote"and\\backslash', "o'brien@contoso.com"];
    const kql = kqlDynamicStrings(values);
    expect(kql).toBe('dynamic(["bg-alpha@contoso.onmicrosoft.com", "x\' or 1==1 | union SigninLogs //", "quote\\"and\\\\backslash", "o\'brien@contoso.com"])');
    expect(JSON.parse(kql.slice('dynamic('.length, -1))).toEqual(values);
    expect(withoutStringLiterals(kql)).toBe('dynamic([<str>, <str>, <str>, <str>])');
  });

  it('drops control characters, blanks and case-insensitive duplicates', () => {
    expect(kqlDynamicStrings(['A@x.com', 'a@X.com', '', 'b@x.com\n| take 1'])).toBe('dynamic(["A@x.com", "b@x.com| take 1"])');
    expect(kqlDynamicStrings([])).toBe('dynamic([])');
  });
});

describe('kqlDatetime', () => {
  it('writes a UTC datetime literal and refuses an invalid date', () => {
    expect(kqlDatetime(new Date('2025-03-01T10:00:00Z'))).toBe('datetime(2025-03-01T10:00:00.000Z)');
    expect(() => kqlDatetime(new Date('nope'))).toThrow(RangeError);
  });
});

describe('signInsQuery', () => {
  const since = new Date('2025-03-01T00:00:00Z');
  const until = new Date('2025-03-02T00:00:00Z');

  it('reads both sign-in tables for the accounts in the window, newest first, bounded', () => {
    const query = signInsQuery(['bg@contoso.onmicrosoft.com'], since, until, 100);
    expect(query).toContain('let accounts = dynamic(["bg@contoso.onmicrosoft.com"]);');
    expect(query).toContain('let since = datetime(2025-03-01T00:00:00.000Z);');
    expect(query).toContain('union isfuzzy=true');
    expect(query).toContain('(SigninLogs');
    expect(query).toContain('(AADServicePrincipalSignInLogs');
    expect(query).toMatch(/\| order by CreatedDateTime desc\n\| take 100$/);
    expect(accountsIn(query)).toEqual(['bg@contoso.onmicrosoft.com']);
  });

  it('an injection attempt changes only the literal, never the query around it', () => {
    const benign = withoutStringLiterals(signInsQuery(['bg@contoso.onmicrosoft.com'], since, until));
    const hostile = signInsQuery([INJECTION, 'y" ) | union SecurityEvent //', 'z\\" | take 1'], since, until);
    expect(withoutStringLiterals(hostile)).toBe(benign.replace('dynamic([<str>])', 'dynamic([<str>, <str>, <str>])'));
    expect(accountsIn(hostile)).toEqual([INJECTION, 'y" ) | union SecurityEvent //', 'z\\" | take 1']);
  });
});

describe('logAnalyticsEndpoint', () => {
  it('adds /v1 (the client does not) and derives the token scope from the origin', () => {
    expect(logAnalyticsEndpoint(undefined)).toEqual({ baseUrl: 'https://api.loganalytics.io/v1', scope: 'https://api.loganalytics.io/.default' });
    expect(logAnalyticsEndpoint('https://api.loganalytics.us/')).toEqual({ baseUrl: 'https://api.loganalytics.us/v1', scope: 'https://api.loganalytics.us/.default' });
    expect(logAnalyticsEndpoint('https://127.0.0.1:8443/v1')).toEqual({ baseUrl: 'https://127.0.0.1:8443/v1', scope: 'https://127.0.0.1:8443/.default' });
  });
});

describe('mapSignInTables', () => {
  it('maps the projected columns by name, whatever their order, newest first', () => {
    const table: LogsTable = {
      name: 'PrimaryResult',
      columnDescriptors: [
        { name: 'SourceTable', type: 'string' },
        { name: 'CreatedDateTime', type: 'datetime' },
        { name: 'UserPrincipalName', type: 'string' },
        { name: 'UserId', type: 'string' },
        { name: 'AppDisplayName', type: 'string' },
        { name: 'IPAddress', type: 'string' },
        { name: 'LocationDetails', type: 'dynamic' },
        { name: 'ResultType', type: 'string' },
        { name: 'ConditionalAccessStatus', type: 'string' },
        { name: 'AuthenticationDetails', type: 'string' },
        { name: 'AuthenticationMethod', type: 'string' },
        { name: 'CorrelationId', type: 'string' },
      ],
      rows: [
        ['SigninLogs', new Date('2025-03-01T10:00:00Z'), 'bg@contoso.onmicrosoft.com', 'id-1', 'Azure Portal', '203.0.113.7', { city: 'Redmond', state: 'Washington', countryOrRegion: 'US' }, '0', 'success', '[{"authenticationStepDateTime":"2025-03-01T10:00:00Z","authenticationMethod":"FIDO2 security key","succeeded":true}]', '', 'c-1'],
        ['AADServicePrincipalSignInLogs', '2025-03-01T11:00:00Z', 'bg-app', 'sp-1', 'Microsoft Graph', '198.51.100.1', '{"city":"Paris","countryOrRegion":"FR"}', 50126, 'notApplied', '', 'clientSecret', 'c-2'],
        ['SigninLogs', 'not a time', 'x', 'y', '', '', {}, '0', '', '', '', ''],
      ],
    };
    const rows = mapSignInTables([table]);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ time: '2025-03-01T11:00:00.000Z', source: 'AADServicePrincipalSignInLogs', resultType: '50126', location: 'Paris, FR', authenticationMethod: 'clientSecret' });
    expect(rows[1]).toMatchObject({
      time: '2025-03-01T10:00:00.000Z',
      upn: 'bg@contoso.onmicrosoft.com',
      location: 'Redmond, Washington, US',
      resultType: '0',
      authenticationMethod: 'FIDO2 security key',
      source: 'SigninLogs',
    });
    for (const row of rows) expect(signInRowSchema.safeParse(row).success).toBe(true);
  });
});
