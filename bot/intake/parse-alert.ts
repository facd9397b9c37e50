import type { AlertSource, ParsedAlert } from './alert.js';
import { alertSourceOf } from './alert-source.js';
import { field, fieldsOf } from './case-insensitive.js';
import { cleanText } from './clean-text.js';
import type { ContextReading } from './context-reading.js';
import { identifySubject } from './identify-subject.js';
import { notCommonSchemaMessage } from './not-common-schema-message.js';
import { readActivityLog } from './read-activity-log.js';
import { readEssentials } from './read-essentials.js';
import { readLogV1 } from './read-log-v1.js';
import { readLogV2 } from './read-log-v2.js';
import { putDefined } from './put-defined.js';

export type ParseErrorCode = 'not-common-schema' | 'invalid-alert';

export type ParseResult =
  | { ok: true; alert: ParsedAlert }
  | { ok: false; code: ParseErrorCode; message: string };

const COMMON_SCHEMA_ID = 'azuremonitorcommonalertschema';

/**
 * Reads an Azure Monitor webhook body (already JSON-parsed) into a ParsedAlert. Pure, and total:
 * it never throws. Only the required essentials (alertId, monitorCondition, firedDateTime) can
 * make a common-schema alert unusable; a missing or wrong-typed alertContext only means fewer
 * details, because an alert is never dropped for want of enrichment.
 */
export function parseAlert(body: unknown): ParseResult {
  try {
    return parseCommonSchema(body);
  } catch (error) {
    // Unreachable from JSON.parse output; a value with a throwing getter or Proxy still gets an answer.
    const reason = error instanceof Error ? cleanText(error.message, 200) : undefined;
    const message = `The alert body could not be read (${reason ?? 'unknown error'}).`;
    return { ok: false, code: 'invalid-alert', message };
  }
}

function parseCommonSchema(body: unknown): ParseResult {
  const top = fieldsOf(body);
  const schemaId = field(top, 'schemaId');
  if (typeof schemaId !== 'string' || schemaId.trim().toLowerCase() !== COMMON_SCHEMA_ID) {
    return { ok: false, code: 'not-common-schema', message: notCommonSchemaMessage(body) };
  }
  const data = fieldsOf(field(top, 'data'));
  const read = readEssentials(field(data, 'essentials'));
  if (!read.ok) return { ok: false, code: 'invalid-alert', message: read.message };

  const { ruleResourceId, ...essentials } = read.essentials;
  const source = alertSourceOf(essentials.monitoringService);
  const { signIns, links } = readContext(source, field(data, 'alertContext'));
  const rule = { name: essentials.alertRule, ...(ruleResourceId === undefined ? {} : { resourceId: ruleResourceId }) };
  const alert: ParsedAlert = {
    alertId: essentials.alertId,
    monitorCondition: essentials.monitorCondition,
    firedAt: essentials.firedAt,
    source,
    monitoringService: essentials.monitoringService,
    alertRule: essentials.alertRule,
    severity: essentials.severity,
    subject: identifySubject(source, signIns, rule),
    signIns,
    links,
  };
  putDefined(alert, 'resolvedAt', essentials.resolvedAt);
  putDefined(alert, 'alertRuleId', essentials.alertRuleId);
  putDefined(alert, 'description', essentials.description);
  return { ok: true, alert };
}

function readContext(source: AlertSource, alertContext: unknown): ContextReading {
  switch (source) {
    case 'log-v2':
      return readLogV2(alertContext);
    case 'log-v1':
      return readLogV1(alertContext);
    case 'activity-log':
      return readActivityLog(alertContext);
    case 'other':
      // Metric, health and other alerts name no account: the incident is about the rule.
      return { signIns: [], links: {} };
    default: {
      const unhandled: never = source;
      return unhandled;
    }
  }
}
