import { tempDir } from '../test/support/temp-dir.js';
import type { RecordedRequest } from '../test/fakes/fake-connector.js';
import { alertBody, runTag } from './lib/alert-bodies.js';
import { alertsUrl, startBotChild } from './lib/bot-child.js';
import { keepAliveAgent, postJson } from './lib/http-client.js';
import { formatSummary, summarize } from './lib/percentiles.js';
import { heading, line, verdict, type BenchOptions, type BenchOutcome } from './lib/report.js';
import { bindChannel, incidentIdOfCard, startLimitedConnector } from './lib/teams-world.js';

/**
 * Sustained, the pacer allows 2 cards/s in one channel (Teams' 60 per 30 s); below that the
 * pacer never holds a card back, so what is measured is the bot's own path.
 */
const RATE_PER_SEC = 1.8;
const WARMUP = 3;

interface Sample {
  incidentId: string;
  sentAt: number;
  answeredAt: number;
}

/**
 * Alert to card: each alert names a new account, so each opens an incident and posts a card. Time
 * from the 202 (and from the send) to the card's createConversation arriving at the fake Teams.
 */
export async function runAlertToCard(options: BenchOptions): Promise<BenchOutcome> {
  heading('2. Alert to card: 202 → card POST at the fake Teams connector');
  const count = options.quick ? 20 : 100;
  const data = tempDir('glasswatch-bench-card-');
  const fake = await startLimitedConnector();
  const bot = await startBotChild({ dataDir: data.path });
  const agent = keepAliveAgent(4);
  try {
    await bindChannel(bot.url, fake);
    line(`one bound channel, Teams answering at once; ${WARMUP} warm-up + ${count} alerts, each a new account, paced at ${RATE_PER_SEC}/s (under the pacer's 2/s sustained)`);
    const tag = runTag();
    const samples: Sample[] = [];
    const failures: string[] = [];
    const started = performance.now();
    for (let i = 0; i < WARMUP + count; i++) {
      const wait = started + (i * 1000) / RATE_PER_SEC - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const body = alertBody({ alertId: `card-${tag}-${i}`, upn: `card-${tag}-${i}@contoso.onmicrosoft.com` });
      const answer = await postJson(agent, alertsUrl(bot.url), body);
      const incidentId = readIncidentId(answer.body);
      if (answer.status !== 202 || incidentId === undefined) failures.push(`alert ${i}: ${answer.status} ${answer.body.slice(0, 120)}`);
      else if (i >= WARMUP) samples.push({ incidentId, sentAt: answer.startedAt, answeredAt: answer.endedAt });
    }
    const last = samples[samples.length - 1];
    if (last !== undefined) {
      await fake.waitFor((r) => r.route === 'createConversation' && r.status === 201 && incidentIdOfCard(fake, r) === last.incidentId, 10_000);
    }

    const arrivals = cardArrivals(fake.requests, (r) => incidentIdOfCard(fake, r));
    const fromAnswer: number[] = [];
    const fromSend: number[] = [];
    let missing = 0;
    for (const sample of samples) {
      const arrivedAt = arrivals.get(sample.incidentId);
      if (arrivedAt === undefined) {
        missing += 1;
        continue;
      }
      fromAnswer.push(arrivedAt - sample.answeredAt);
      fromSend.push(arrivedAt - sample.sentAt);
    }
    const answer = summarize(fromAnswer);
    const cardBeforeAnswer = fromAnswer.filter((d) => d < 0).length;
    line(`202 → card:  ${formatSummary(answer)} (negative: the card reached Teams before the 202 reached the client, ${cardBeforeAnswer} times)`);
    line(`send → card: ${formatSummary(summarize(fromSend))}`);
    line(`cards missing: ${missing}; non-202: ${failures.length}${failures.length > 0 ? ` (${failures.slice(0, 3).join('; ')})` : ''}; Teams 429s: ${fake.throttledCount}`);
    const ok = answer.p99 < 50 && missing === 0 && failures.length === 0;
    return verdict('alert-to-card', ok, `p99 ${answer.p99.toFixed(1)} ms from 202 to card (goal < 50 ms); missing ${missing}`);
  } finally {
    agent.destroy();
    await bot.kill('SIGTERM');
    await fake.close();
    if (!options.keep) data.remove();
  }
}

function readIncidentId(body: string): string | undefined {
  return /"incidentId":"([^"]+)"/.exec(body)?.[1];
}

/** When each incident's first card arrived at the fake connector (its `at`, performance.now()). */
function cardArrivals(requests: readonly RecordedRequest[], incidentOf: (r: RecordedRequest) => string | undefined): Map<string, number> {
  const arrivals = new Map<string, number>();
  for (const request of requests) {
    if (request.route !== 'createConversation' || request.status !== 201) continue;
    const incidentId = incidentOf(request);
    if (incidentId !== undefined && !arrivals.has(incidentId)) arrivals.set(incidentId, request.at);
  }
  return arrivals;
}
