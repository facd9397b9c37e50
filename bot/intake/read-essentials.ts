import { z } from 'zod';
import type { MonitorCondition } from './alert.js';
import { asRecord, field, fieldsOf } from './case-insensitive.js';
import { cleanText, cleanTextOrNumber, describeValue, MAX_TEXT_LENGTH } from './clean-text.js';
import { putDefined } from './put-defined.js';
import { toIsoTime } from './to-iso-time.js';

/** The essentials Glasswatch keeps, cleaned. */
export interface Essentials {
  alertId: string;
  monitorCondition: MonitorCondition;
  firedAt: string;
  resolvedAt?: string;
  alertRule: string;
  /** essentials.alertRuleID (the rule's ARM id, in newer payloads), else originAlertId. */
  alertRuleId?: string;
  /** The rule's ARM id only: a stable grouping key for alerts that name no account. */
  ruleResourceId?: string;
  severity: string;
  monitoringService: string;
  description?: string;
}

export type EssentialsResult = { ok: true; essentials: Essentials } | { ok: false; message: string };

/** A required field: `read` gives the value or undefined, and the issue says what was expected. */
const required = <T>(read: (value: unknown) => T | undefined, expected: string) =>
  z.unknown().transform((value, context): T => {
    const result = read(value);
    if (result !== undefined) return result;
    context.addIssue({ code: z.ZodIssueCode.custom, message: `expected ${expected}, got ${describeValue(value)}` });
    return z.NEVER;
  });

// Only these three decide whether an alert is usable; every other field is enrichment.
const Required = z.object({
  alertId: required(readAlertId, `a non-empty string of at most ${MAX_TEXT_LENGTH} characters`),
  monitorCondition: required(readCondition, '"Fired" or "Resolved"'),
  firedDateTime: required(toIsoTime, 'an ISO 8601 UTC date-time such as "2025-01-31T14:03:00Z"'),
});

export function readEssentials(value: unknown): EssentialsResult {
  if (asRecord(value) === undefined) {
    return { ok: false, message: `data.essentials: expected an object, got ${describeValue(value)}` };
  }
  const fields = fieldsOf(value);
  const checked = Required.safeParse({
    alertId: field(fields, 'alertId'),
    monitorCondition: field(fields, 'monitorCondition'),
    firedDateTime: field(fields, 'firedDateTime'),
  });
  if (!checked.success) {
    const problems = checked.error.issues.map((issue) => `data.essentials.${issue.path.join('.')}: ${issue.message}`);
    return { ok: false, message: `The alert's essentials are not usable: ${problems.join('; ')}.` };
  }
  const ruleResourceId = cleanText(field(fields, 'alertRuleID'));
  const essentials: Essentials = {
    alertId: checked.data.alertId,
    monitorCondition: checked.data.monitorCondition,
    firedAt: checked.data.firedDateTime,
    alertRule: cleanText(field(fields, 'alertRule')) ?? 'unnamed alert rule',
    severity: readSeverity(field(fields, 'severity')),
    monitoringService: cleanText(field(fields, 'monitoringService'), 128) ?? '',
  };
  putDefined(essentials, 'resolvedAt', toIsoTime(field(fields, 'resolvedDateTime')));
  putDefined(essentials, 'alertRuleId', ruleResourceId ?? cleanText(field(fields, 'originAlertId')));
  const isArmId = ruleResourceId?.toLowerCase().startsWith('/subscriptions/') === true;
  putDefined(essentials, 'ruleResourceId', isArmId ? ruleResourceId : undefined);
  putDefined(essentials, 'description', cleanText(field(fields, 'description')));
  return { ok: true, essentials };
}

function readAlertId(value: unknown): string | undefined {
  // An id is never shortened: two different long ids must not collapse into one.
  if (typeof value !== 'string' || value.trim().length > MAX_TEXT_LENGTH) return undefined;
  return cleanText(value);
}

function readCondition(value: unknown): MonitorCondition | undefined {
  const condition = typeof value === 'string' ? value.trim().toLowerCase() : undefined;
  if (condition === 'fired') return 'Fired';
  if (condition === 'resolved') return 'Resolved';
  return undefined;
}

/** "Sev0" … "Sev4" normalised ("sev3", "3" → "Sev3"); anything else kept as given, or "unknown". */
function readSeverity(value: unknown): string {
  const given = cleanTextOrNumber(value);
  const level = given === undefined ? null : /^(?:sev)?\s*([0-4])$/i.exec(given);
  if (level !== null && level[1] !== undefined) return `Sev${level[1]}`;
  return given === undefined ? 'unknown' : given.slice(0, 32);
}
