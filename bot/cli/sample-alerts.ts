import { randomUUID } from 'node:crypto';

export type SampleKind = 'signin' | 'failure' | 'resolved' | 'tamper';

export interface SampleOptions {
  upn: string;
  now: Date;
  /** Reuse an alert id (a `resolved` sample names the fired alert it resolves). */
  alertId?: string;
  ip?: string;
}

const SUBSCRIPTION = '00000000-0000-0000-0000-00000000dem0';
const WORKSPACE = `/subscriptions/${SUBSCRIPTION}/resourcegroups/rg-glasswatch-demo/providers/microsoft.operationalinsights/workspaces/law-identity-demo`;

/**
 * Realistic Azure Monitor common-schema alerts, shaped like the ones the infra's rules send
 * (Log Alerts V2 split by UserPrincipalName, IPAddress, AppDisplayName, ResultType; an
 * activity-log alert for a deleted diagnostic setting as the tamper signal).
 */
export function sampleAlert(kind: SampleKind, options: SampleOptions): { alertId: string; body: unknown } {
  const alertId = options.alertId ?? `/subscriptions/${SUBSCRIPTION}/providers/Microsoft.AlertsManagement/alerts/${randomUUID()}`;
  const fired = options.now.toISOString();
  if (kind === 'tamper') return { alertId, body: tamperAlert(alertId, fired) };
  const failed = kind === 'failure';
  const essentials = {
    alertId,
    alertRule: 'Break-glass account sign-in',
    severity: 'Sev0',
    signalType: 'Log',
    monitorCondition: kind === 'resolved' ? 'Resolved' : 'Fired',
    monitoringService: 'Log Alerts V2',
    alertTargetIDs: [WORKSPACE],
    configurationItems: ['law-identity-demo'],
    originAlertId: randomUUID(),
    firedDateTime: fired,
    ...(kind === 'resolved' ? { resolvedDateTime: fired } : {}),
    description: 'An emergency access (break-glass) account signed in. Every sign-in must be a drill or an authorised emergency.',
    essentialsVersion: '1.0',
    alertContextVersion: '1.0',
  };
  const windowEnd = new Date(options.now.getTime() - 60_000).toISOString();
  const windowStart = new Date(options.now.getTime() - 6 * 60_000).toISOString();
  const alertContext = {
    properties: null,
    conditionType: 'LogQueryCriteria',
    condition: {
      windowSize: 'PT5M',
      allOf: [
        {
          searchQuery: 'SigninLogs | where UserPrincipalName in~ (breakGlassAccounts)',
          metricMeasureColumn: null,
          targetResourceTypes: "['Microsoft.OperationalInsights/workspaces']",
          operator: 'GreaterThan',
          threshold: '0',
          timeAggregation: 'Count',
          dimensions: [
            { name: 'UserPrincipalName', value: options.upn },
            { name: 'IPAddress', value: options.ip ?? (failed ? '198.51.100.23' : '203.0.113.24') },
            { name: 'AppDisplayName', value: 'Azure Portal' },
            { name: 'ResultType', value: failed ? '50126' : '0' },
          ],
          metricValue: failed ? 12 : 1,
          failingPeriods: { numberOfEvaluationPeriods: 1, minFailingPeriodsToAlert: 1 },
        },
      ],
      windowStartTime: windowStart,
      windowEndTime: windowEnd,
    },
  };
  return { alertId, body: { schemaId: 'azureMonitorCommonAlertSchema', data: { essentials, alertContext, customProperties: null } } };
}

function tamperAlert(alertId: string, fired: string): unknown {
  const scope = `${WORKSPACE}/providers/microsoft.insights/diagnosticSettings/send-to-law`;
  return {
    schemaId: 'azureMonitorCommonAlertSchema',
    data: {
      essentials: {
        alertId,
        alertRule: 'Break-glass monitoring chain changed',
        severity: 'Sev1',
        signalType: 'Activity Log',
        monitorCondition: 'Fired',
        monitoringService: 'Activity Log - Administrative',
        alertTargetIDs: [scope],
        configurationItems: ['send-to-law'],
        originAlertId: randomUUID(),
        firedDateTime: fired,
        description: 'A diagnostic setting that sends Entra sign-in logs to the workspace was deleted.',
        essentialsVersion: '1.0',
        alertContextVersion: '1.0',
      },
      alertContext: {
        authorization: { action: 'Microsoft.Insights/diagnosticSettings/delete', scope },
        channels: 'Operation',
        claims: '{}',
        caller: 'attacker@contoso.onmicrosoft.com',
        correlationId: randomUUID(),
        eventSource: 'Administrative',
        eventTimestamp: fired,
        eventDataId: randomUUID(),
        level: 'Informational',
        operationName: 'Microsoft.Insights/diagnosticSettings/delete',
        operationId: randomUUID(),
        status: 'Succeeded',
        subStatus: '',
        submissionTimestamp: fired,
      },
      customProperties: null,
    },
  };
}
