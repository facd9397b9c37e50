import type { SignInDetails } from './alert.js';
import { field, fieldsOf, type Fields } from './case-insensitive.js';
import { cleanText, cleanTextOrNumber } from './clean-text.js';
import { formatLocation } from './format-location.js';
import { looksLikeGuid } from './looks-like-guid.js';
import { parseJsonObject } from './parse-json-object.js';
import { putDefined as put } from './put-defined.js';
import { toIsoTime } from './to-iso-time.js';

/**
 * One sign-in from a set of named values: a V2 alert's dimensions or a V1 result row. Names are
 * matched case-insensitively, with the aliases seen across SigninLogs, AADServicePrincipalSignInLogs
 * and hand-written queries (`project Upn = UserPrincipalName`), in order of preference.
 *
 * Not mapped: `ServicePrincipalId` (the service principal's object id) has no place in
 * SignInDetails, and must not be mistaken for `AppId`, which is what identifies the app.
 */
export function readSignIn(fields: Fields): SignInDetails | undefined {
  const named = cleanText(field(fields, 'UserPrincipalName', 'Upn', 'AccountUpn'), 256);
  const userId = cleanText(field(fields, 'UserId', 'ObjectId', 'AccountObjectId'), 64);
  // SigninLogs records the typed-in object id as UserPrincipalName for some failed sign-ins.
  const upnIsId = named !== undefined && !named.includes('@') && looksLikeGuid(named);
  // SigninLogs `Status` is dynamic: {errorCode, failureReason}; some queries project it as text.
  const status = parseJsonObject(field(fields, 'Status'));
  const statusFields = fieldsOf(status);

  const details: SignInDetails = {};
  put(details, 'time', toIsoTime(field(fields, 'CreatedDateTime', 'TimeGenerated')));
  put(details, 'upn', upnIsId ? undefined : named);
  put(details, 'userId', userId ?? (upnIsId ? named : undefined));
  put(details, 'appId', cleanText(field(fields, 'AppId'), 64));
  put(details, 'servicePrincipalName', cleanText(field(fields, 'ServicePrincipalName')));
  put(details, 'ipAddress', cleanText(field(fields, 'IPAddress', 'ClientIP', 'ClientIPAddress'), 64));
  const location = formatLocation(field(fields, 'LocationDetails')) ?? cleanText(field(fields, 'Location'), 256);
  put(details, 'location', location);
  put(details, 'app', cleanText(field(fields, 'AppDisplayName', 'ResourceDisplayName')));
  put(
    details,
    'resultType',
    cleanTextOrNumber(field(fields, 'ResultType')) ??
      cleanTextOrNumber(field(statusFields, 'errorCode')) ??
      cleanTextOrNumber(status),
  );
  put(
    details,
    'resultDescription',
    cleanText(field(fields, 'ResultDescription')) ?? cleanText(field(statusFields, 'failureReason')),
  );
  // A time alone (a heartbeat row, say) names no sign-in.
  return Object.keys(details).some((key) => key !== 'time') ? details : undefined;
}
