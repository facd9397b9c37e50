import { tempDir } from '../test/support/temp-dir.js';
import { accountUpn, alertBody, runTag } from './lib/alert-bodies.js';
import { alertsUrl, startBotChild } from './lib/bot-child.js';
import { keepAliveAgent, postJson } from './lib/http-client.js';
import { metricValue } from './lib/metrics-reader.js';
import { closedLoop, countStatus, formatStatuses, openLoop } from './lib/load.js';
import { summarize, type Summary } from './lib/percentiles.js';
import { memoryOf } from './lib/proc-stats.js';
import { heading, line, ratio, verdict, type BenchOptions, type BenchOutcome } from './lib/report.js';
import { bindChannel, startLimitedConnector } from './lib/teams-world.js';

/** Alerts per incident: alert i belongs to account floor(i / 100), so incidents grow with alerts. */
const PER_SUBJECT = 100;
const FILL_CONCURRENCY = 32;
const PROBE = { count: 200, ratePerSec: 50 };

interface Checkpoint {
  stored: number;
  incidents: number;
  latency: Summary;
  rssMiB: number;
}

/**
 * Memory and growth: the bot as a child process (its RSS read from /proc), filled with alerts over
 * ever more incidents; at 1k / 10k / 100k stored alerts a paced probe measures intake latency.
 */
export async function runMemory(options: BenchOptions): Promise<BenchOutcome> {
  const total = options.quick ? 10_000 : 100_000;
  const checkpoints = options.quick ? [1_000, 10_000] : [1_000, 10_000, 100_000];
  heading(`4. Memory and growth: ${total} alerts, ${PER_SUBJECT} per account (${total / PER_SUBJECT} incidents)`);
  const data = tempDir('glasswatch-bench-memory-');
  const fake = await startLimitedConnector();
  const bot = await startBotChild({ dataDir: data.path });
  // A fresh agent per stretch of load: a socket left idle past the server's keep-alive timeout
  // (5 s) can be reset just as it is reused, which would count as an error the bot did not make.
  let agent = keepAliveAgent(FILL_CONCURRENCY);
  let peakSeen = 0;
  const sampler = setInterval(() => {
    peakSeen = Math.max(peakSeen, memoryOf(bot.pid).rssMiB);
  }, 1_000);
  try {
    await bindChannel(bot.url, fake);
    const start = memoryOf(bot.pid).rssMiB;
    line(`fill: closed loop, ${FILL_CONCURRENCY} concurrent; probe: ${PROBE.count} alerts at ${PROBE.ratePerSec}/s into existing incidents, latency from the scheduled send`);
    const tag = runTag();
    const url = alertsUrl(bot.url);
    let stored = 0;
    let failures = 0;
    const failureDetails: string[] = [];
    const results: Checkpoint[] = [];
    const fillStarted = performance.now();
    for (const target of checkpoints) {
      const fill = await closedLoop({
        concurrency: FILL_CONCURRENCY,
        durationMs: 3_600_000,
        maxRequests: target - stored,
        send: (i) => {
          const n = stored + i;
          return postJson(agent, url, alertBody({ alertId: `mem-${tag}-${n}`, upn: accountUpn(Math.floor(n / PER_SUBJECT), 'mem') }));
        },
      });
      stored = target;
      failures += countStatus(fill, (s) => s !== 202) + fill.errors;
      if (countStatus(fill, (s) => s !== 202) + fill.errors > 0) failureDetails.push(`fill to ${target}: ${formatStatuses(fill)}`);
      const incidents = Math.ceil(stored / PER_SUBJECT);
      // The probe measures a steady stream at this size, not the tail of the fill's queue.
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      agent.destroy();
      agent = keepAliveAgent(FILL_CONCURRENCY);
      const probe = await openLoop({
        ...PROBE,
        maxInFlight: FILL_CONCURRENCY,
        send: (i) =>
          postJson(agent, url, alertBody({ alertId: `mem-probe-${tag}-${stored}-${i}`, upn: accountUpn(i % incidents, 'mem') })),
      });
      failures += countStatus(probe, (s) => s !== 202) + probe.errors;
      agent.destroy();
      agent = keepAliveAgent(FILL_CONCURRENCY);
      if (countStatus(probe, (s) => s !== 202) + probe.errors > 0) failureDetails.push(`probe at ${target}: ${formatStatuses(probe)}`);
      const checkpoint = { stored, incidents, latency: summarize(probe.latencies), rssMiB: memoryOf(bot.pid).rssMiB };
      results.push(checkpoint);
      line(
        `${String(stored).padStart(6)} alerts, ${String(incidents).padStart(4)} incidents: probe p50 ${checkpoint.latency.p50.toFixed(1)} ms, p99 ${checkpoint.latency.p99.toFixed(1)} ms; RSS ${checkpoint.rssMiB.toFixed(0)} MiB; fill ${fill.throughput.toFixed(0)} alerts/s`,
      );
    }
    const fillSeconds = (performance.now() - fillStarted) / 1000;
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    const end = memoryOf(bot.pid);
    const pending = await metricValue(bot.url, 'glasswatch_deliveries_pending');
    line(`cards still waiting for Teams' pacing at the end: ${pending ?? 'unknown'}; Teams 429s: ${fake.throttledCount}`);
    line(`RSS start ${start.toFixed(0)} MiB, peak ${Math.max(end.peakMiB, peakSeen).toFixed(0)} MiB (VmHWM), end ${end.rssMiB.toFixed(0)} MiB (5 s after the last alert); ${fillSeconds.toFixed(0)} s in all; non-202 ${failures}`);

    for (const detail of failureDetails) line(`non-202: ${detail}`);
    const growth = results.slice(1).map((c, i) => c.latency.p50 / (results[i]?.latency.p50 ?? Number.NaN));
    const growth99 = results.slice(1).map((c, i) => c.latency.p99 / (results[i]?.latency.p99 ?? Number.NaN));
    const first = results[0];
    const rssGrowth = first === undefined ? Number.NaN : end.rssMiB / first.rssMiB;
    line(`latency per 10× incidents: p50 ×${growth.map(ratio).join(', ×')}; p99 ×${growth99.map(ratio).join(', ×')}`);
    const ok = growth.every((g) => g <= 2) && rssGrowth <= 1.5 && failures === 0;
    return verdict(
      'memory',
      ok,
      `p50 latency ×${growth.map(ratio).join(', ×')} per 10× incidents (goal ≤ 2); RSS end/at-1k ×${ratio(rssGrowth)} (goal ≤ 1.5, flat); non-202 ${failures}`,
    );
  } finally {
    clearInterval(sampler);
    agent.destroy();
    await bot.kill('SIGTERM');
    await fake.close();
    if (!options.keep) data.remove();
  }
}
