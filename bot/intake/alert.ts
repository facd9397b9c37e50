/**
 * What Glasswatch keeps of an Azure Monitor common-schema alert, whatever rule produced it.
 * Produced by `parseAlert` at the edge; everything after the edge reads only this.
 */

export type MonitorCondition = 'Fired' | 'Resolved';

/** Which family of Azure Monitor signal the alert came from (decides where the details live). */
export type AlertSource =
  | 'log-v2' // monitoringService "Log Alerts V2": dimensions, no rows
  | 'log-v1' // monitoringService "Log Analytics" / "Application Insights": SearchResults rows
  | 'activity-log' // monitoringService "Activity Log - Administrative" (and other Activity Log kinds)
  | 'other'; // any other common-schema alert (metric, health, ...): still an alert, still posted

/**
 * Who or what an alert is about. `key` is the grouping key: stable, lower-case, prefixed by kind,
 * e.g. `user:bg1@contoso.onmicrosoft.com`, `user:3f0c…` (object id), `sp:<appId>`, `rule:<rule id or name>`.
 */
export type Subject =
  | { kind: 'user'; key: string; upn?: string; objectId?: string }
  | { kind: 'service-principal'; key: string; appId: string; displayName?: string }
  | { kind: 'monitoring'; key: string; ruleName: string };

/** One sign-in (or one activity-log operation) as far as the alert tells it. Every field optional. */
export interface SignInDetails {
  /** ISO 8601 UTC: the sign-in's own time (CreatedDateTime / TimeGenerated / eventTimestamp). */
  time?: string;
  upn?: string;
  userId?: string;
  appId?: string;
  servicePrincipalName?: string;
  ipAddress?: string;
  /** "City, State, CC" or whatever part is known. */
  location?: string;
  /** The application signed in to (AppDisplayName). */
  app?: string;
  /** SigninLogs ResultType as a string; "0" is success. */
  resultType?: string;
  resultDescription?: string;
  /** Activity-log alerts: the operation, e.g. Microsoft.Insights/diagnosticSettings/delete. */
  operationName?: string;
  /** Activity-log alerts: caller (UPN or object id) and status. */
  caller?: string;
  status?: string;
}

export interface ParsedAlert {
  /** essentials.alertId: identifies the alert instance; retries repeat it. */
  alertId: string;
  monitorCondition: MonitorCondition;
  /** ISO 8601 UTC. */
  firedAt: string;
  resolvedAt?: string;
  source: AlertSource;
  monitoringService: string;
  alertRule: string;
  /** essentials.originAlertId or the alert rule's resource id when present. */
  alertRuleId?: string;
  /** "Sev0" … "Sev4". */
  severity: string;
  description?: string;
  /** The subject the incident is grouped by (the first account when rows name several). */
  subject: Subject;
  /** Sign-ins the alert carries, newest first; empty when the alert names none (V2 without dims). */
  signIns: SignInDetails[];
  /** Azure portal / API links to the search results, when the alert carries them. */
  links: { searchResults?: string; filteredSearchResults?: string; portal?: string };
}
