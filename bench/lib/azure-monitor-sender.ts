import { alertsUrl } from './bot-child.js';
import { keepAliveAgent, postJson } from './http-client.js';

export interface AlertToSend {
  alertId: string;
  body: string;
}

export interface SendLog {
  /** alertId → what the 202 said. */
  answered: Map<string, { incidentId: string; outcome: string }>;
  /** Every HTTP answer, retries included. */
  statuses: Map<number, number>;
  /** 503 answers that carried a Retry-After header. */
  retryAfter503: number;
  networkErrors: number;
  /** Alerts never answered 202 within the attempts or the deadline. */
  gaveUp: string[];
}

export interface SendOptions {
  concurrency: number;
  /** First attempts start no faster than this. */
  ratePerSec: number;
  maxAttempts: number;
  deadlineMs: number;
  /** Pause before a retry (Azure Monitor waits 5-40 s; compressed here). */
  retryDelayMs?: number;
}

/** Azure Monitor retries these (and network errors) and nothing else. */
const RETRIED = new Set([408, 429, 503, 504]);

export function emptySendLog(): SendLog {
  return { answered: new Map(), statuses: new Map(), retryAfter503: 0, networkErrors: 0, gaveUp: [] };
}

/**
 * Sends alerts as an action group does: each until it is answered 202, retrying network errors and
 * 408/429/503/504, never other statuses. `target` is asked before every attempt (the bot may have
 * restarted on another port, or be down: undefined).
 */
export async function sendLikeAzureMonitor(alerts: readonly AlertToSend[], target: () => string | undefined, options: SendOptions, log = emptySendLog()): Promise<SendLog> {
  const agent = keepAliveAgent(options.concurrency);
  const started = performance.now();
  const deadline = started + options.deadlineMs;
  const retryDelayMs = options.retryDelayMs ?? 250;
  const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
  let next = 0;

  const deliver = async (alert: AlertToSend): Promise<boolean> => {
    for (let attempt = 1; attempt <= options.maxAttempts && performance.now() < deadline; attempt++) {
      const base = target();
      if (base === undefined) {
        await sleep(retryDelayMs);
        continue;
      }
      try {
        const answer = await postJson(agent, alertsUrl(base), alert.body);
        log.statuses.set(answer.status, (log.statuses.get(answer.status) ?? 0) + 1);
        if (answer.status === 503 && answer.retryAfter !== undefined) log.retryAfter503 += 1;
        if (answer.status === 202) {
          const parsed: unknown = JSON.parse(answer.body);
          log.answered.set(alert.alertId, readAccepted(parsed));
          return true;
        }
        if (!RETRIED.has(answer.status)) return false;
      } catch (error) {
        if (error instanceof SyntaxError) throw error;
        log.networkErrors += 1;
      }
      await sleep(retryDelayMs);
    }
    return false;
  };

  const worker = async () => {
    while (next < alerts.length && performance.now() < deadline) {
      const index = next++;
      const alert = alerts[index];
      if (alert === undefined) break;
      const due = started + (index * 1000) / options.ratePerSec;
      if (due > performance.now()) await sleep(due - performance.now());
      if (!(await deliver(alert))) log.gaveUp.push(alert.alertId);
    }
  };
  try {
    await Promise.all(Array.from({ length: options.concurrency }, worker));
  } finally {
    agent.destroy();
  }
  return log;
}

function readAccepted(body: unknown): { incidentId: string; outcome: string } {
  if (typeof body === 'object' && body !== null && 'incidentId' in body && 'outcome' in body) {
    const { incidentId, outcome } = body;
    if (typeof incidentId === 'string' && typeof outcome === 'string') return { incidentId, outcome };
  }
  throw new Error(`a 202 without {incidentId, outcome}: ${JSON.stringify(body).slice(0, 200)}`);
}
