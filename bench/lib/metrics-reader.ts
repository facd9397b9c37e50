import { getText } from './http-client.js';

/** One unlabelled sample (or the sum over all label sets) from the bot's /metrics text. */
export async function metricValue(botUrl: string, name: string): Promise<number | undefined> {
  const { status, body } = await getText(new URL('/metrics', botUrl));
  if (status !== 200) return undefined;
  let total: number | undefined;
  for (const row of body.split('\n')) {
    if (!row.startsWith(name) || (row[name.length] !== ' ' && row[name.length] !== '{')) continue;
    const value = Number(row.slice(row.lastIndexOf(' ') + 1));
    if (Number.isFinite(value)) total = (total ?? 0) + value;
  }
  return total;
}

/**
 * Waits until the bot has no card waiting to be posted or edited (the outbox is empty), polling
 * /metrics. Answers how long that took, or undefined when `timeoutMs` passed first.
 */
export async function waitForOutboxEmpty(botUrl: string, timeoutMs: number): Promise<number | undefined> {
  const started = performance.now();
  while (performance.now() - started < timeoutMs) {
    const pending = await metricValue(botUrl, 'glasswatch_deliveries_pending').catch(() => undefined);
    if (pending === 0) return performance.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return undefined;
}
