import { parseArgs } from 'node:util';
import type { CliIo } from '../cli.js';
import { sampleAlert, type SampleKind } from './sample-alerts.js';

export const simulateHelp = {
  usage: 'simulate <signin|failure|resolved|tamper> [--upn U] [--url U] [--token T]',
  summary: 'posts a realistic common-schema alert to a running Glasswatch (default http://127.0.0.1:3978)',
};

const KINDS: readonly SampleKind[] = ['signin', 'failure', 'resolved', 'tamper'];

/** `glasswatch simulate`: what Azure Monitor would send, so a newcomer sees a card arrive. */
export async function simulate(args: string[], io: CliIo): Promise<number> {
  let parsed: { values: { upn?: string; url?: string; token?: string; 'alert-id'?: string }; positionals: string[] };
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: { upn: { type: 'string' }, url: { type: 'string' }, token: { type: 'string' }, 'alert-id': { type: 'string' } },
      strict: true,
    });
  } catch (error) {
    io.stderr.write(`${error instanceof Error ? error.message : String(error)}\nusage: glasswatch ${simulateHelp.usage}\n`);
    return 2;
  }
  const kind = KINDS.find((k) => k === parsed.positionals[0]);
  if (!kind) {
    io.stderr.write(`say which alert to simulate: ${KINDS.join(', ')}\nusage: glasswatch ${simulateHelp.usage}\n`);
    return 2;
  }
  const { values } = parsed;
  const base = values.url ?? `http://127.0.0.1:${io.env.PORT ?? '3978'}`;
  let url: URL;
  try {
    url = new URL('/api/alerts', base);
  } catch {
    io.stderr.write(`--url ${base} is not a URL; use e.g. http://127.0.0.1:3978\n`);
    return 2;
  }
  const token = values.token ?? io.env.ALERT_WEBHOOK_TOKEN;
  if (token) url.searchParams.set('token', token);
  const upn = values.upn ?? io.env.GLASSWATCH_ACCOUNTS?.split(',')[0]?.trim() ?? 'bg-admin-01@contoso.onmicrosoft.com';
  const alert = sampleAlert(kind, { upn, now: new Date(), alertId: values['alert-id'] });

  let response: Response;
  try {
    response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(alert.body), signal: AbortSignal.timeout(15_000) });
  } catch (error) {
    const reason = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
    io.stderr.write(`could not reach Glasswatch at ${url.origin} (${reason}); is it running (npm start)?\n`);
    return 2;
  }
  const text = await response.text();
  if (response.status !== 202) {
    io.stderr.write(`Glasswatch answered ${response.status}: ${text}\n`);
    return 1;
  }
  io.stdout.write(`${kind} alert for ${kind === 'tamper' ? 'the monitoring chain' : upn} accepted: ${text}\nalert id: ${alert.alertId}\n`);
  return 0;
}
