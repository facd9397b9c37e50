import { join } from 'node:path';
import { tempDir } from '../test/support/temp-dir.js';
import { accountUpn, alertBody, runTag } from './lib/alert-bodies.js';
import { alertsUrl, startBareRestify, startBotChild } from './lib/bot-child.js';
import { keepAliveAgent, postJson } from './lib/http-client.js';
import { closedLoop, countStatus, formatStatuses, openLoop, type LoadResult } from './lib/load.js';
import { durableCommitLatency } from './lib/disk-probe.js';
import { formatSummary, ms, summarize } from './lib/percentiles.js';
import { cpuShareDuring } from './lib/proc-stats.js';
import { heading, line, ratio, verdict, type BenchOptions, type BenchOutcome } from './lib/report.js';
import type { ServerChild } from './lib/server-child.js';
import { bindChannel, startLimitedConnector } from './lib/teams-world.js';

const ACCOUNTS = 50;
const CONCURRENCIES = [16, 64] as const;
const PACED_RATE = 200;

/**
 * Intake: closed-loop throughput at fixed concurrency and open-loop latency at 200 requests/s, the
 * bot and a bare restify server side by side in one run. Both servers are child processes; the load
 * generator (node:http, keep-alive) runs in this process, so it never shares their event loops.
 */
export async function runIntake(options: BenchOptions): Promise<BenchOutcome> {
  heading('1. Intake: POST /api/alerts (token auth, durable commit, 202) vs bare restify');
  const seconds = options.quick ? 3 : 10;
  const data = tempDir('glasswatch-bench-intake-');
  const fake = await startLimitedConnector();
  const servers: ServerChild[] = [];
  try {
    const bot = await startBotChild({ dataDir: data.path });
    servers.push(bot);
    await bindChannel(bot.url, fake);
    const bare = await startBareRestify(join(data.path, 'bare.log'));
    servers.push(bare);
    line(`servers: child processes (tsx); load generator: node:http keep-alive agent in the bench process; ${ACCOUNTS} accounts, distinct alertIds`);
    const disk = durableCommitLatency(data.path);
    const commitCeiling = 1000 / disk.p50;
    line(`disk: one SQLite commit (WAL, synchronous=FULL, 8 KiB) p50 ${ms(disk.p50)} → ≈${commitCeiling.toFixed(0)} commits/s, one at a time`);

    const tag = runTag();
    let sent = 0;
    const sender = (server: ServerChild, sockets: number) => {
      const agent = keepAliveAgent(sockets);
      const url = alertsUrl(server.url);
      return {
        send: () => {
          const n = sent++;
          return postJson(agent, url, alertBody({ alertId: `intake-${tag}-${n}`, upn: accountUpn(n % ACCOUNTS) }));
        },
        close: () => agent.destroy(),
      };
    };
    const closed = async (server: ServerChild, concurrency: number, durationMs: number) => {
      const s = sender(server, concurrency);
      try {
        const { result, cpuShare } = await cpuShareDuring(server.pid, () =>
          closedLoop({ concurrency, durationMs, maxRequests: 1_000_000, send: s.send }),
        );
        return { ...result, cpuShare };
      } finally {
        s.close();
      }
    };

    const ratios: number[] = [];
    for (const concurrency of CONCURRENCIES) {
      await closed(bare, concurrency, 1_000);
      await closed(bot, concurrency, 1_000);
      const ceiling = await closed(bare, concurrency, seconds * 1000);
      const glasswatch = await closed(bot, concurrency, seconds * 1000);
      ratios.push(glasswatch.throughput / ceiling.throughput);
      line(`c=${concurrency} bare restify: ${describe(ceiling)}`);
      line(`c=${concurrency} glasswatch:   ${describe(glasswatch)}`);
      line(
        `c=${concurrency} ratio: ${ratio(glasswatch.throughput / ceiling.throughput)} of bare restify; ${ratio(glasswatch.throughput / commitCeiling)} of the disk's one-commit-at-a-time rate`,
      );
    }

    const paced = async (server: ServerChild) => {
      const s = sender(server, 64);
      try {
        return await openLoop({ ratePerSec: PACED_RATE, count: PACED_RATE * seconds, maxInFlight: 64, send: s.send });
      } finally {
        s.close();
      }
    };
    const bareOpen = await paced(bare);
    const botOpen = await paced(bot);
    line(`open loop ${PACED_RATE}/s × ${seconds} s, latency from the scheduled send time:`);
    line(`  bare restify: ${formatSummary(summarize(bareOpen.latencies))}; ${formatStatuses(bareOpen)}`);
    line(`  glasswatch:   ${formatSummary(summarize(botOpen.latencies))}; ${formatStatuses(botOpen)}`);

    const worst = Math.min(...ratios);
    const p99 = summarize(botOpen.latencies).p99;
    const non202 = countStatus(botOpen, (s) => s !== 202) + botOpen.errors;
    const ok = worst >= 0.5 && p99 < 10 && non202 === 0;
    return verdict(
      'intake',
      ok,
      `ratio ${ratios.map(ratio).join(' / ')} of bare restify at c=${CONCURRENCIES.join('/')} (goal ≥ 0.50); p99 ${p99.toFixed(2)} ms at ${PACED_RATE}/s (goal < 10 ms); non-202 ${non202}`,
    );
  } finally {
    for (const server of servers) await server.kill('SIGTERM');
    await fake.close();
    if (!options.keep) data.remove();
  }
}

function describe(result: LoadResult & { cpuShare: number }): string {
  const cpu = `server CPU ${(result.cpuShare * 100).toFixed(0)}% of a core`;
  return `${result.throughput.toFixed(0)} req/s, ${formatSummary(summarize(result.latencies))}; ${cpu}; ${formatStatuses(result)}`;
}
