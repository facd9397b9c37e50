import type { SignInDetails } from './alert.js';
import { field, fieldsOf } from './case-insensitive.js';
import { cleanText } from './clean-text.js';
import type { ContextReading } from './context-reading.js';
import { putDefined as put } from './put-defined.js';
import { toIsoTime } from './to-iso-time.js';

/**
 * Activity-log alerts ("Activity Log - Administrative", "- Policy", "- Security", ...) describe one
 * operation, e.g. `Microsoft.Insights/diagnosticSettings/delete` by some caller: a change to the
 * monitoring chain rather than a sign-in. It is kept as one SignInDetails so the card can show it.
 * `status` and `operationName` are strings in the common schema, `{value, localizedValue}` in the
 * older activity-log event shape; both are read.
 */
export function readActivityLog(alertContext: unknown): ContextReading {
  const context = fieldsOf(alertContext);
  const operation: SignInDetails = {};
  put(operation, 'operationName', textOrValue(field(context, 'operationName')));
  put(operation, 'caller', cleanText(field(context, 'caller'), 256));
  put(operation, 'status', textOrValue(field(context, 'status'), 128));
  put(operation, 'time', toIsoTime(field(context, 'eventTimestamp')));
  const namesSomething = operation.operationName !== undefined || operation.caller !== undefined;
  return { signIns: namesSomething ? [operation] : [], links: {} };
}

function textOrValue(value: unknown, maxLength?: number): string | undefined {
  return cleanText(value, maxLength) ?? cleanText(field(fieldsOf(value), 'value', 'localizedValue'), maxLength);
}
