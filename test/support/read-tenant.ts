/**
 * Reads the monitored tenant with the real SDK clients, as `glasswatch check` will, and prints one
 * JSON line: `{ok:true, runs:[{snapshot, graphRequestsSoFar?, ms}], signIns?}` or `{ok:false, message}`.
 * Run as a child process (`node --import tsx test/support/read-tenant.ts`) so NODE_EXTRA_CA_CERTS
 * can make it trust the https fakes.
 *
 * Environment: AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET, AZURE_AUTHORITY_HOST,
 * GRAPH_ENDPOINT, LOG_ANALYTICS_ENDPOINT, LOG_ANALYTICS_WORKSPACE_ID, GLASSWATCH_ACCOUNTS
 * (comma-separated); READ_TENANT_SNAPSHOTS (how many snapshots in a row, default 1),
 * READ_TENANT_CACHE_TTL_MS, READ_TENANT_SIGNINS ("since/until", ISO), FAKE_GRAPH_CONTROL_URL
 * (the fake Graph, asked after each snapshot how many requests it has seen).
 */
import { pino } from 'pino';
import { liveTenantReader } from '../../bot/tenant/live-tenant-reader.js';

const env = process.env;
const logger = pino({ level: env.READ_TENANT_LOG_LEVEL ?? 'warn' }, pino.destination(2));
const accounts = (env.GLASSWATCH_ACCOUNTS ?? '').split(',').map((a) => a.trim()).filter((a) => a !== '');
const cacheTtlMs = env.READ_TENANT_CACHE_TTL_MS === undefined ? undefined : Number(env.READ_TENANT_CACHE_TTL_MS);

const live = liveTenantReader(env, () => new Date(), { logger, cacheTtlMs });
if (!live.ok) {
  process.stdout.write(`${JSON.stringify({ ok: false, message: live.message })}\n`);
  process.exit(2);
}

async function requestsSoFar(): Promise<number | undefined> {
  const control = env.FAKE_GRAPH_CONTROL_URL;
  if (!control) return undefined;
  const answer = await fetch(`${control}/_fake/requests`);
  const body = (await answer.json()) as { count?: unknown };
  return typeof body.count === 'number' ? body.count : undefined;
}

const runs: { snapshot: unknown; graphRequestsSoFar?: number; ms: number }[] = [];
for (let i = 0; i < Number(env.READ_TENANT_SNAPSHOTS ?? '1'); i++) {
  const started = performance.now();
  const snapshot = await live.reader.snapshot(accounts);
  const ms = Math.round(performance.now() - started);
  runs.push({ snapshot, graphRequestsSoFar: await requestsSoFar(), ms });
}

let signIns: unknown;
if (env.READ_TENANT_SIGNINS) {
  const [since = '', until = ''] = env.READ_TENANT_SIGNINS.split('/');
  signIns = await live.reader.signIns(accounts, new Date(since), new Date(until));
}

process.stdout.write(`${JSON.stringify({ ok: true, runs, ...(signIns === undefined ? {} : { signIns }) })}\n`);
