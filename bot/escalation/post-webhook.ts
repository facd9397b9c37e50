import { parseRetryAfter } from '../teams/retry-after.js';
import { SendError } from '../scheduling/send-error.js';

const TIMEOUT_MS = 10_000;

/**
 * POSTs a JSON body to an escalation webhook. A non-2xx answer throws with its status (and
 * Retry-After), so the notification worker retries it like any other delivery.
 */
export async function postWebhook(url: string, body: unknown, fetchImpl: typeof fetch): Promise<void> {
  let response: Response;
  try {
    response = await fetchImpl(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'Glasswatch' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (error) {
    const reason = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
    throw new SendError(`webhook ${new URL(url).host} unreachable: ${reason}`, undefined, undefined);
  }
  const text = await response.text().catch(() => '');
  if (!response.ok) {
    const retryAfter = response.headers.get('retry-after');
    throw new SendError(
      `webhook ${new URL(url).host} answered ${response.status}${text ? `: ${text.slice(0, 200)}` : ''}`,
      response.status,
      retryAfter === null ? undefined : parseRetryAfter(retryAfter),
    );
  }
}
