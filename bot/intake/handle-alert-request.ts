import type { JWTVerifyGetKey } from 'jose';
import type { Logger } from 'pino';
import type { RecordedAlert } from '../incidents/record-alert.js';
import { StoreUnavailableError } from '../store/store-errors.js';
import { authenticateAlertRequest } from './authenticate-alert-request.js';
import type { ParsedAlert } from './alert.js';
import { parseAlert } from './parse-alert.js';
import type { SecureWebhookPolicy } from './verify-secure-webhook.js';

export const MAX_ALERT_BODY_BYTES = 1024 * 1024;

export interface AlertRequest {
  headers: Record<string, string | string[] | undefined>;
  query: URLSearchParams;
  /** The body as text, or 'too-large' when it passed MAX_ALERT_BODY_BYTES. */
  body: string | 'too-large';
}

export interface AlertResponse {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export type IntakeErrorCode =
  | 'unauthorized'
  | 'keys-unavailable'
  | 'body-too-large'
  | 'unsupported-media-type'
  | 'invalid-json'
  | 'not-common-schema'
  | 'invalid-alert'
  | 'store-unavailable'
  | 'shutting-down';

/** The one place intake error codes meet HTTP statuses. Transient faults are 503: Azure Monitor retries it. */
const STATUS: Record<IntakeErrorCode, number> = {
  unauthorized: 401,
  'keys-unavailable': 503,
  'body-too-large': 413,
  'unsupported-media-type': 415,
  'invalid-json': 400,
  'not-common-schema': 422,
  'invalid-alert': 422,
  'store-unavailable': 503,
  'shutting-down': 503,
};

const RETRY_AFTER_SECONDS = '30';

export interface HandleAlertDeps {
  auth: { token?: string; secureWebhook?: SecureWebhookPolicy & { keys: JWTVerifyGetKey } };
  record: (alert: ParsedAlert, rawBody: string) => Promise<RecordedAlert>;
  accepting: () => boolean;
  now: () => Date;
  logger: Logger;
  onRecorded: (recorded: RecordedAlert) => void;
}

/** POST /api/alerts as a function of {headers, query, body}: authenticate, parse, commit, answer. */
export async function handleAlertRequest(request: AlertRequest, deps: HandleAlertDeps): Promise<AlertResponse> {
  if (!deps.accepting()) {
    return fail('shutting-down', 'Glasswatch is shutting down; Azure Monitor will retry this alert.');
  }
  if (request.body === 'too-large') {
    return fail('body-too-large', `The body is over ${MAX_ALERT_BODY_BYTES} bytes; an Azure Monitor common-schema alert is at most 256 KB. Check what is posting to this URL.`);
  }
  const auth = await authenticateAlertRequest({ query: request.query, headers: request.headers }, deps.auth, deps.now());
  if (!auth.ok) {
    return auth.code === 'keys-unavailable' ? fail('keys-unavailable', auth.message) : fail('unauthorized', auth.message);
  }
  const contentType = header(request.headers, 'content-type') ?? '';
  if (!/^application\/([\w.+-]+\+)?json\b/i.test(contentType.trim())) {
    return fail(
      'unsupported-media-type',
      `Content-Type is "${clean(contentType) || 'missing'}"; send application/json (Azure Monitor action groups do).`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(request.body);
  } catch (error) {
    const reason = error instanceof Error ? error.message : 'unparsable';
    return fail('invalid-json', `The body is not valid JSON (${clean(reason)}).`);
  }
  const parsed = parseAlert(json);
  if (!parsed.ok) return fail(parsed.code, parsed.message);

  const { alert } = parsed;
  const log = deps.logger.child({ alertId: alert.alertId });
  try {
    const recorded = await deps.record(alert, request.body);
    log.info(
      { incidentId: recorded.incident.id, outcome: recorded.outcome, monitorCondition: alert.monitorCondition, subject: alert.subject.key },
      recorded.outcome === 'duplicate' ? 'duplicate alert: already committed, nothing new' : 'alert committed',
    );
    deps.onRecorded(recorded);
    return { status: 202, body: { incidentId: recorded.incident.id, outcome: recorded.outcome } };
  } catch (error) {
    // Whatever went wrong while committing, 503 makes Azure Monitor retry; a 500 would not.
    const message =
      error instanceof StoreUnavailableError
        ? 'The alert store is unavailable; Azure Monitor will retry this alert.'
        : 'The alert could not be committed; Azure Monitor will retry this alert.';
    log.error({ err: error }, 'alert not committed');
    return fail('store-unavailable', message);
  }
}

function fail(code: IntakeErrorCode, message: string): AlertResponse {
  const status = STATUS[code];
  return {
    status,
    body: { error: { code, message } },
    headers: status === 503 ? { 'Retry-After': RETRY_AFTER_SECONDS } : undefined,
  };
}

function header(headers: AlertRequest['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Outside strings go into messages and logs only cleaned: printable, short. */
function clean(value: string): string {
  return value.replace(/[^\x20-\x7e]/g, '?').slice(0, 120);
}
