import type { FakeConnector } from '../../test/fakes/fake-connector.js';
import { tempDir } from '../../test/support/temp-dir.js';
import { alertBody } from './alert-bodies.js';
import { emptySendLog, sendLikeAzureMonitor, type AlertToSend, type SendLog } from './azure-monitor-sender.js';
import { BotSupervisor } from './bot-supervisor.js';
import { auditCards, checkDuplicates, non503ServerErrors, type FaultWindow } from './chaos-checks.js';
import type { PhaseReport } from './chaos-report.js';
import { startFaultProxy, type FaultProxy } from './fault-proxy.js';
import { getText } from './http-client.js';
import { waitForOutboxEmpty } from './metrics-reader.js';
import { seededRandom, spacedMoments } from './random.js';
import { holdWriteLock, makeWritesFail, restoreWrites } from './store-faults.js';
import { lostAlerts, readStore } from './store-reader.js';
import { bindChannel, startLimitedConnector } from './teams-world.js';

export interface ChaosSizes {
  /** Alerts sent through the kill phase, over `subjects` accounts. */
  alerts: number;
  subjects: number;
  kills: number;
  ratePerSec: number;
  /** Teams answering 503 for this long, while `outageAlerts` arrive. */
  outageMs: number;
  outageAlerts: number;
  /** Every write of the bot failing for this long, while `storeAlerts` arrive. */
  storeFaultMs: number;
  storeAlerts: number;
  /** How long to wait for the outbox to empty after a phase (retries back off up to 60 s). */
  settleMs: number;
}


const SEND = { concurrency: 8, maxAttempts: 400, retryDelayMs: 250 };

/**
 * The chaos run: the real bot as a child process, a fake Teams behind a switchable outage proxy,
 * and phases that each break something, then check that nothing answered 202 was lost, every
 * incident has exactly one card, and duplicates are still recognised.
 */
export class ChaosRun {
  private readonly data = tempDir('glasswatch-chaos-');
  private readonly supervisor = new BotSupervisor(this.data.path);
  private readonly windows: FaultWindow[] = [];
  private readonly answered = new Map<string, AlertToSend>();
  private readonly random: () => number;
  private fake: FakeConnector | undefined;
  private proxy: FaultProxy | undefined;

  constructor(
    private readonly sizes: ChaosSizes,
    seed: number,
    private readonly keep = false,
  ) {
    this.random = seededRandom(seed);
  }

  async setup(): Promise<void> {
    this.fake = await startLimitedConnector();
    this.proxy = await startFaultProxy(this.fake.url);
    await this.supervisor.start();
    await bindChannel(this.requireUrl(), this.fake, this.proxy.url);
  }

  /** kill -9 at random moments while alerts arrive; restart each time; senders retry what got no 202. */
  async killPhase(): Promise<PhaseReport> {
    const alerts = this.alerts('kill', this.sizes.alerts, this.sizes.subjects);
    const expectedMs = (alerts.length / this.sizes.ratePerSec) * 1000;
    const moments = spacedMoments(this.random, this.sizes.kills, expectedMs * 0.1, expectedMs * 0.9, 500);
    const started = performance.now();
    const restarts: number[] = [];
    const killer = async () => {
      for (const moment of moments) {
        const wait = started + moment - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        await this.supervisor.kill9();
        const killedAt = this.supervisor.kills[this.supervisor.kills.length - 1] ?? performance.now();
        this.windows.push({ label: 'kill -9', from: killedAt, to: killedAt });
        await this.supervisor.start();
        restarts.push(performance.now() - killedAt);
      }
    };
    const [log] = await Promise.all([this.send(alerts, this.sizes.ratePerSec, expectedMs + 60_000), killer()]);
    const sentIn = (performance.now() - started) / 1000;
    const notes = [
      `kills at ${moments.map((m) => (m / 1000).toFixed(1)).join(', ')} s; back up after ${restarts.map((r) => (r / 1000).toFixed(1)).join(', ')} s; all answered after ${sentIn.toFixed(1)} s`,
    ];
    return this.finishPhase('kill -9 ×' + moments.length, alerts, log, notes);
  }

  /** Teams answers 503 to everything for `outageMs`; intake must not care, cards must follow after. */
  async outagePhase(): Promise<PhaseReport> {
    const proxy = this.requireProxy();
    // A few new accounts too, so some cards are first posts that must wait out the outage.
    const alerts = this.alerts('outage', this.sizes.outageAlerts, this.sizes.subjects + 5);
    const from = performance.now();
    proxy.fail(503);
    const rate = alerts.length / ((this.sizes.outageMs * 0.8) / 1000);
    const log = await this.send(alerts, rate, this.sizes.outageMs + 60_000);
    const left = from + this.sizes.outageMs - performance.now();
    if (left > 0) await new Promise((resolve) => setTimeout(resolve, left));
    proxy.heal();
    this.windows.push({ label: 'Teams 503', from, to: performance.now() });
    const notes = [`Teams answered 503 ${proxy.failed} times over ${(this.sizes.outageMs / 1000).toFixed(0)} s`];
    return this.finishPhase(`Teams 503 for ${(this.sizes.outageMs / 1000).toFixed(0)} s`, alerts, log, notes);
  }

  /** Every file write of the bot fails for `storeFaultMs` (see store-faults.ts); intake must answer 503, never 500. */
  async unwritableStorePhase(): Promise<PhaseReport> {
    const pid = this.requirePid();
    const alerts = this.alerts('unwritable', this.sizes.storeAlerts, this.sizes.subjects + 10);
    const from = performance.now();
    makeWritesFail(pid);
    const readyz: number[] = [];
    const restorer = (async () => {
      await new Promise((resolve) => setTimeout(resolve, this.sizes.storeFaultMs / 2));
      readyz.push((await getText(new URL('/readyz', this.requireUrl()))).status);
      await new Promise((resolve) => setTimeout(resolve, this.sizes.storeFaultMs / 2));
      restoreWrites(pid);
      this.windows.push({ label: 'store unwritable', from, to: performance.now() });
    })();
    const rate = alerts.length / ((this.sizes.storeFaultMs * 0.5) / 1000);
    const [log] = await Promise.all([this.send(alerts, rate, this.sizes.storeFaultMs + 60_000), restorer]);
    const notes = [`/readyz during the fault: ${readyz.join(', ')}`];
    return this.finishPhase(`store unwritable for ${(this.sizes.storeFaultMs / 1000).toFixed(0)} s`, alerts, log, notes, (log.statuses.get(503) ?? 0) > 0);
  }

  /**
   * Another process holds the database's write lock for `lockMs`: every write of the bot waits its
   * busy_timeout (2 s) on the event loop, then fails. Measures /healthz meanwhile.
   */
  async lockedStorePhase(lockMs: number): Promise<PhaseReport> {
    const alerts = this.alerts('locked', 12, this.sizes.subjects);
    const from = performance.now();
    const release = holdWriteLock(this.data.path);
    const health: number[] = [];
    const prober = (async () => {
      for (let i = 0; i < 10 && performance.now() - from < lockMs; i++) {
        const asked = performance.now();
        await getText(new URL('/healthz', this.requireUrl()));
        health.push(performance.now() - asked);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      const left = from + lockMs - performance.now();
      if (left > 0) await new Promise((resolve) => setTimeout(resolve, left));
      release();
      this.windows.push({ label: 'store locked', from, to: performance.now() });
    })();
    const [log] = await Promise.all([this.send(alerts, 8, lockMs + 60_000, emptySendLog(), 4), prober]);
    const notes = [`/healthz while locked: max ${Math.max(...health).toFixed(0)} ms over ${health.length} probes (the busy wait blocks the event loop)`];
    return this.finishPhase(`store locked for ${(lockMs / 1000).toFixed(0)} s`, alerts, log, notes, (log.statuses.get(503) ?? 0) > 0);
  }

  async teardown(): Promise<void> {
    await this.supervisor.stop();
    await this.proxy?.close();
    await this.fake?.close();
    if (!this.keep) this.data.remove();
  }

  get dataDir(): string {
    return this.data.path;
  }

  private alerts(phase: string, count: number, subjects: number): AlertToSend[] {
    return Array.from({ length: count }, (_, i) => {
      const alertId = `chaos-${phase}-${i}`;
      return { alertId, body: alertBody({ alertId, upn: `chaos-${i % subjects}@contoso.onmicrosoft.com` }) };
    });
  }

  private async send(alerts: AlertToSend[], ratePerSec: number, deadlineMs: number, log = emptySendLog(), concurrency = SEND.concurrency): Promise<SendLog> {
    const result = await sendLikeAzureMonitor(alerts, () => this.supervisor.url, { ...SEND, concurrency, ratePerSec, deadlineMs }, log);
    for (const alert of alerts) if (result.answered.has(alert.alertId)) this.answered.set(alert.alertId, alert);
    return result;
  }

  /** Settle, stop (SIGTERM), read the store, audit the cards, restart, re-post old alerts. */
  private async finishPhase(name: string, alerts: AlertToSend[], log: SendLog, notes: string[], sawExpected = true): Promise<PhaseReport> {
    const settled = await waitForOutboxEmpty(this.requireUrl(), this.sizes.settleMs);
    if (settled !== undefined) notes.push(`outbox empty ${(settled / 1000).toFixed(1)} s after the last 202`);
    await this.supervisor.stop();
    const snapshot = readStore(this.data.path);
    const cards = auditCards(this.requireFake(), snapshot, this.windows);
    await this.supervisor.start();
    const old = [...this.answered.values()];
    const sample = Array.from({ length: Math.min(10, old.length) }, () => old[Math.floor(this.random() * old.length)]).filter(
      (alert): alert is AlertToSend => alert !== undefined,
    );
    const duplicates = await checkDuplicates(this.requireUrl(), sample);
    if (!sawExpected) notes.push('the fault produced no 503 at all: it did not take effect');
    return {
      name,
      sent: alerts.length,
      answered: alerts.filter((a) => log.answered.has(a.alertId)).length,
      lost: lostAlerts(this.answered.keys(), snapshot).length,
      gaveUp: log.gaveUp.length,
      statuses: [...log.statuses.entries()].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`).join(', ') + `, network errors ${log.networkErrors}`,
      unavailable: log.statuses.get(503) ?? 0,
      unavailableWithRetryAfter: log.retryAfter503,
      serverErrors: non503ServerErrors(log),
      cards,
      duplicatesChecked: duplicates.checked,
      duplicatesWrong: duplicates.wrong,
      crashes: this.supervisor.crashes.length,
      outboxEmpty: settled !== undefined && sawExpected,
      notes,
    };
  }

  private requireUrl(): string {
    const url = this.supervisor.url;
    if (url === undefined) throw new Error(`the bot is not running:\n${this.supervisor.tail().slice(-2_000)}`);
    return url;
  }

  private requirePid(): number {
    const pid = this.supervisor.pid;
    if (pid === undefined) throw new Error('the bot is not running');
    return pid;
  }

  private requireFake(): FakeConnector {
    if (this.fake === undefined) throw new Error('setup() first');
    return this.fake;
  }

  private requireProxy(): FaultProxy {
    if (this.proxy === undefined) throw new Error('setup() first');
    return this.proxy;
  }
}
