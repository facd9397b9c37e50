import { tempDir } from '../test/support/temp-dir.js';
import { alertBody, runTag } from './lib/alert-bodies.js';
import { alertsUrl, startBotChild } from './lib/bot-child.js';
import { occurrencesOnCard } from './lib/card-reading.js';
import { keepAliveAgent, postJson } from './lib/http-client.js';
import { countStatus, formatStatuses, openLoop } from './lib/load.js';
import { waitForOutboxEmpty } from './lib/metrics-reader.js';
import { formatSummary, summarize } from './lib/percentiles.js';
import { heading, line, verdict, type BenchOptions, type BenchOutcome } from './lib/report.js';
import { lostAlerts, readStore } from './lib/store-reader.js';
import { bindChannel, startLimitedConnector } from './lib/teams-world.js';

const ACCOUNT = 'bg-admin-01@contoso.onmicrosoft.com';
/** "Invalid username or password": what a brute-force attempt produces. */
const BAD_PASSWORD = '50126';
/** A few 429s can happen when requests arrive bunched up; a loop would be hundreds. */
const MAX_429 = 5;

/**
 * Storm: one account, thousands of failed sign-ins, Teams throttling with 429s. One card, edited at
 * a paced rate, ends showing the exact count; every alert answered 202 is in the store.
 */
export async function runStorm(options: BenchOptions): Promise<BenchOutcome> {
  const total = options.quick ? 1_000 : 10_000;
  const windowSeconds = options.quick ? 10 : 60;
  // Sent over 90% of the window, open loop (as fast as the alerts fire, whatever the answers).
  const rate = total / (windowSeconds * 0.9);
  heading(`3. Storm: ${total} alerts for one account within ${windowSeconds} s, Teams limits enforced with 429s`);
  const data = tempDir('glasswatch-bench-storm-');
  const fake = await startLimitedConnector();
  const bot = await startBotChild({ dataDir: data.path });
  const agent = keepAliveAgent(256);
  try {
    await bindChannel(bot.url, fake);
    line(`open loop at ${rate.toFixed(0)} alerts/s, up to 256 in flight, one keep-alive agent`);
    const tag = runTag();
    const answered: string[] = [];
    const url = alertsUrl(bot.url);
    const load = await openLoop({
      ratePerSec: rate,
      count: total,
      maxInFlight: 256,
      send: async (i) => {
        const alertId = `storm-${tag}-${i}`;
        const answer = await postJson(agent, url, alertBody({ alertId, upn: ACCOUNT, resultType: BAD_PASSWORD }));
        if (answer.status === 202) answered.push(alertId);
        return answer;
      },
    });
    const sentSeconds = load.elapsedMs / 1000;
    line(`all answered after ${sentSeconds.toFixed(1)} s; ${formatStatuses(load)}; late starts ${load.lateStarts}`);
    line(`intake latency (from scheduled send): ${formatSummary(summarize(load.latencies))}`);

    const settleMs = await waitForOutboxEmpty(bot.url, 60_000);
    const posts = fake.posts().filter((r) => r.route === 'createConversation');
    const edits = fake.updates();
    const cardId = posts[0]?.activityId;
    const shown = cardId === undefined ? undefined : occurrencesOnCard(fake.latest(cardId));
    const gaps = edits.slice(1).map((edit, i) => edit.at - (edits[i]?.at ?? edit.at));
    const editSpan = ((edits[edits.length - 1]?.at ?? 0) - (edits[0]?.at ?? 0)) / 1000;
    line(`outbox empty ${settleMs === undefined ? 'NOT within 60 s' : `${(settleMs / 1000).toFixed(1)} s after the last 202`}`);
    line(`cards posted: ${posts.length}; edits: ${edits.length} over ${editSpan.toFixed(0)} s (${(edits.length / Math.max(editSpan, 1)).toFixed(2)}/s), shortest gap ${Math.min(...gaps).toFixed(0)} ms; Teams 429s: ${fake.throttledCount}`);

    await bot.kill('SIGTERM');
    const store = readStore(data.path);
    const lost = lostAlerts(answered, store);
    const incident = store.incidents[0];
    line(`store: ${store.incidents.length} incident(s), occurrences ${incident?.occurrences ?? 'none'}; card shows ${shown ?? 'nothing'}; lost ${lost.length}`);

    const fiveXx = countStatus(load, (s) => s >= 500);
    const ok =
      posts.length === 1 &&
      shown === total &&
      incident?.occurrences === total &&
      answered.length === total &&
      lost.length === 0 &&
      fiveXx === 0 &&
      load.errors === 0 &&
      fake.throttledCount <= MAX_429 &&
      sentSeconds <= windowSeconds;
    return verdict(
      'storm',
      ok,
      `cards ${posts.length} (goal 1), final count ${shown ?? 'none'} (goal ${total}), answered 202 ${answered.length}/${total} in ${sentSeconds.toFixed(0)} s (goal ≤ ${windowSeconds} s), lost ${lost.length}, 5xx ${fiveXx}, 429s ${fake.throttledCount} (goal ≤ ${MAX_429})`,
    );
  } finally {
    agent.destroy();
    await bot.kill('SIGTERM');
    await fake.close();
    if (!options.keep) data.remove();
  }
}
