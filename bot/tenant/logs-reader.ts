import type { TokenCredential } from '@azure/identity';
import { LogsQueryClient, LogsQueryResultStatus, type LogsTable } from '@azure/monitor-query-logs';
import type { Logger } from 'pino';
import { cleanText, cleanTextOrNumber } from '../intake/clean-text.js';
import { formatLocation } from '../intake/format-location.js';
import { looksLikeGuid } from '../intake/looks-like-guid.js';
import { cleanKqlValue, kqlDatetime, kqlDynamicStrings } from './kql.js';
import type { Known, SignInRow } from './tenant-snapshot.js';

/** Sign-ins of the break-glass accounts from the Log Analytics workspace the diagnostic setting feeds. */
export interface LogsReader {
  signIns(accounts: readonly string[], since: Date, until: Date): Promise<Known<SignInRow[]>>;
}

export interface LogsReaderOptions {
  credential: TokenCredential;
  workspaceId: string;
  /** LOG_ANALYTICS_ENDPOINT, e.g. https://api.loganalytics.us for US Government; public cloud when unset. */
  endpoint?: string;
  now: () => Date;
  logger?: Logger;
  /** Most rows one call returns (newest first). */
  maxRows?: number;
}

export const LOG_ANALYTICS_PERMISSION = 'Log Analytics Reader on the workspace';
const PUBLIC_ENDPOINT = 'https://api.loganalytics.io';
const DEFAULT_MAX_ROWS = 500;
/** Rows arrive in the workspace minutes after the sign-in; the query's time range (on TimeGenerated) reaches this much past `until`. */
const INGESTION_LAG_MS = 60 * 60_000;

/**
 * Where the client sends queries and which token audience it asks for. @azure/monitor-query-logs
 * 1.0.0 uses `endpoint` as the whole base URL (it does not append `/v1`) and ignores its `audience`
 * option: the scope must be passed as `credentials.scopes`.
 */
export function logAnalyticsEndpoint(endpoint: string | undefined): { baseUrl: string; scope: string } {
  const url = new URL(endpoint ?? PUBLIC_ENDPOINT);
  const path = url.pathname.replace(/\/+$/, '');
  return { baseUrl: `${url.origin}${path === '' ? '/v1' : path}`, scope: `${url.origin}/.default` };
}

export function logsReader(options: LogsReaderOptions): LogsReader {
  const { baseUrl, scope } = logAnalyticsEndpoint(options.endpoint);
  const client = new LogsQueryClient(options.credential, { endpoint: baseUrl, credentials: { scopes: [scope] } });
  const maxRows = options.maxRows ?? DEFAULT_MAX_ROWS;
  const workspaceId = options.workspaceId;

  return {
    async signIns(accounts, since, until) {
      if (!looksLikeGuid(workspaceId)) {
        return { ok: false, reason: `LOG_ANALYTICS_WORKSPACE_ID=${cleanText(workspaceId, 60) ?? ''} is not a workspace id (a GUID: Log Analytics workspace → Overview → Workspace ID).` };
      }
      const usable = accounts.map(cleanKqlValue).filter((a): a is string => a !== undefined);
      if (usable.length === 0) return { ok: true, value: [] };
      const query = signInsQuery(usable, since, until, maxRows);
      // The time range filters on TimeGenerated (ingestion); never ask for the future.
      const end = new Date(Math.max(since.getTime(), Math.min(until.getTime() + INGESTION_LAG_MS, options.now().getTime())));
      try {
        const result = await client.queryWorkspace(workspaceId, query, { startTime: since, endTime: end }, { serverTimeoutInSeconds: 60 });
        if (result.status === LogsQueryResultStatus.PartialFailure) {
          const rows = mapSignInTables(result.partialTables);
          options.logger?.warn(
            { code: cleanText(result.partialError.code, 100), message: cleanText(result.partialError.message, 300), rows: rows.length },
            'Log Analytics returned a partial result for the sign-in query; using the rows that came back',
          );
          return { ok: true, value: rows };
        }
        const rows = mapSignInTables(result.tables);
        if (rows.length >= maxRows) options.logger?.warn({ rows: rows.length }, 'sign-in query hit its row limit; older rows were left out');
        return { ok: true, value: rows };
      } catch (error) {
        return logsFailure(error, workspaceId);
      }
    },
  };
}

/**
 * Interactive user sign-ins (SigninLogs) and app sign-ins (AADServicePrincipalSignInLogs) of the
 * accounts, by UPN, object id or app id. `union isfuzzy=true` keeps the query working when the
 * workspace lacks one of the tables (its diagnostic category is not exported).
 */
export function signInsQuery(accounts: readonly string[], since: Date, until: Date, maxRows: number = DEFAULT_MAX_ROWS): string {
  return [
    `let accounts = ${kqlDynamicStrings(accounts)};`,
    `let since = ${kqlDatetime(since)};`,
    `let until = ${kqlDatetime(until)};`,
    'union isfuzzy=true',
    '  (SigninLogs',
    '    | where CreatedDateTime between (since .. until)',
    '    | where UserPrincipalName in~ (accounts) or UserId in~ (accounts)',
    '    | project CreatedDateTime, UserPrincipalName, UserId, AppId, AppDisplayName, IPAddress, LocationDetails,',
    '        ResultType = tostring(ResultType), ResultDescription, ConditionalAccessStatus,',
    '        AuthenticationDetails = tostring(AuthenticationDetails), AuthenticationMethod = "", CorrelationId, SourceTable = "SigninLogs"),',
    '  (AADServicePrincipalSignInLogs',
    '    | extend CreatedDateTime = column_ifexists("CreatedDateTime", TimeGenerated)',
    '    | where CreatedDateTime between (since .. until)',
    '    | where ServicePrincipalId in~ (accounts) or AppId in~ (accounts) or ServicePrincipalName in~ (accounts)',
    '    | project CreatedDateTime, UserPrincipalName = ServicePrincipalName, UserId = ServicePrincipalId, AppId,',
    '        AppDisplayName = ResourceDisplayName, IPAddress, LocationDetails, ResultType = tostring(ResultType), ResultDescription,',
    '        ConditionalAccessStatus, AuthenticationDetails = "", AuthenticationMethod = tostring(column_ifexists("ClientCredentialType", "")),',
    '        CorrelationId, SourceTable = "AADServicePrincipalSignInLogs")',
    '| order by CreatedDateTime desc',
    `| take ${Math.max(1, Math.floor(maxRows))}`,
  ].join('\n');
}

/** Rows of the query's tables as SignInRow, newest first; rows without a time are dropped. */
export function mapSignInTables(tables: readonly LogsTable[]): SignInRow[] {
  return tables
    .flatMap((table) => {
      const index = new Map(table.columnDescriptors.map((column, i) => [column.name.toLowerCase(), i] as const));
      const cell = (row: readonly unknown[], name: string): unknown => {
        const i = index.get(name.toLowerCase());
        return i === undefined ? undefined : row[i];
      };
      return table.rows.flatMap((row): SignInRow[] => {
        const time = toIso(cell(row, 'CreatedDateTime') ?? cell(row, 'TimeGenerated'));
        if (time === undefined) return [];
        const source = cell(row, 'SourceTable') === 'AADServicePrincipalSignInLogs' || cell(row, 'Type') === 'AADServicePrincipalSignInLogs' ? 'AADServicePrincipalSignInLogs' : 'SigninLogs';
        return [
          {
            time,
            upn: cleanText(cell(row, 'UserPrincipalName'), 256) ?? null,
            userId: cleanText(cell(row, 'UserId'), 64) ?? null,
            appId: cleanText(cell(row, 'AppId'), 64) ?? null,
            app: cleanText(cell(row, 'AppDisplayName'), 256) ?? null,
            ipAddress: cleanText(cell(row, 'IPAddress'), 64) ?? null,
            location: formatLocation(cell(row, 'LocationDetails')) ?? null,
            resultType: cleanTextOrNumber(cell(row, 'ResultType')) ?? '',
            resultDescription: cleanText(cell(row, 'ResultDescription'), 512) ?? null,
            conditionalAccessStatus: cleanText(cell(row, 'ConditionalAccessStatus'), 64) ?? null,
            authenticationMethod: cleanText(cell(row, 'AuthenticationMethod'), 128) ?? firstAuthenticationMethod(cell(row, 'AuthenticationDetails')) ?? null,
            correlationId: cleanText(cell(row, 'CorrelationId'), 64) ?? null,
            source,
          },
        ];
      });
    })
    .sort((a, b) => b.time.localeCompare(a.time));
}

/** SigninLogs.AuthenticationDetails is a JSON array (as a string) of steps; the first step's method. */
function firstAuthenticationMethod(value: unknown): string | undefined {
  let parsed: unknown = value;
  if (typeof value === 'string') {
    if (value.trim() === '') return undefined;
    try {
      parsed = JSON.parse(value);
    } catch {
      // Not JSON: the column is then no use for the method; the row keeps everything else.
      return undefined;
    }
  }
  if (!Array.isArray(parsed)) return undefined;
  const first: unknown = parsed[0];
  if (typeof first !== 'object' || first === null || !('authenticationMethod' in first)) return undefined;
  return cleanText(first.authenticationMethod, 128);
}

function toIso(value: unknown): string | undefined {
  const date = value instanceof Date ? value : typeof value === 'string' ? new Date(value) : undefined;
  return date && !Number.isNaN(date.getTime()) ? date.toISOString() : undefined;
}

function logsFailure(error: unknown, workspaceId: string): Known<SignInRow[]> {
  const status = statusOf(error);
  const detail = cleanText(error instanceof Error ? error.message : String(error), 300) ?? 'no detail';
  if (status === 401 || status === 403) {
    return { ok: false, reason: `Log Analytics refused the sign-in query (${status}): ${detail}`, permission: LOG_ANALYTICS_PERMISSION };
  }
  if (status === 404) {
    return { ok: false, reason: `Log Analytics workspace ${workspaceId} was not found, or this identity cannot see it (404): ${detail}`, permission: LOG_ANALYTICS_PERMISSION };
  }
  const name = error instanceof Error ? error.name : '';
  if (name === 'AuthenticationError' || name === 'CredentialUnavailableError' || name === 'AggregateAuthenticationError') {
    return { ok: false, reason: `Glasswatch could not get a token for Log Analytics: ${detail} (check AZURE_TENANT_ID, AZURE_CLIENT_ID, the secret or certificate, and that AZURE_AUTHORITY_HOST is reachable).` };
  }
  return { ok: false, reason: `The sign-in query failed${status === undefined ? '' : ` (${status})`}: ${detail}` };
}

function statusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null || !('statusCode' in error)) return undefined;
  return typeof error.statusCode === 'number' ? error.statusCode : undefined;
}
