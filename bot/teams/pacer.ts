export interface RateWindow {
  count: number;
  windowMs: number;
}

/** Teams' per-bot, per-conversation limits (Bot Framework docs: 7/1 s, 8/2 s, 60/30 s, 1800/hour). */
export const TEAMS_CONVERSATION_LIMITS: readonly RateWindow[] = [
  { count: 7, windowMs: 1_000 },
  { count: 8, windowMs: 2_000 },
  { count: 60, windowMs: 30_000 },
  { count: 1_800, windowMs: 3_600_000 },
];

/**
 * Sliding-window pacing per conversation, so the bot stays under the limits instead of learning
 * them from 429s. Pure apart from its own memory; the caller passes the time.
 */
export class Pacer {
  private readonly sent = new Map<string, number[]>();
  private readonly horizonMs: number;

  private readonly windows: readonly RateWindow[];

  /**
   * `marginMs` makes every send count that much longer than Teams counts it: a request that reaches
   * Teams late (a busy event loop, network jitter) must still land inside the limit, not on its edge.
   */
  constructor(windows: readonly RateWindow[] = TEAMS_CONVERSATION_LIMITS, options: { marginMs?: number } = {}) {
    const margin = options.marginMs ?? 0;
    this.windows = windows.map((w) => ({ count: w.count, windowMs: w.windowMs + margin }));
    this.horizonMs = Math.max(0, ...this.windows.map((w) => w.windowMs));
  }

  /** 0 and a send is counted, or how many ms to wait before asking again. */
  reserve(key: string, now: number): number {
    const times = (this.sent.get(key) ?? []).filter((t) => t > now - this.horizonMs);
    let wait = 0;
    for (const window of this.windows) {
      const inWindow = times.filter((t) => t > now - window.windowMs);
      if (inWindow.length >= window.count) {
        const oldestThatCounts = inWindow[inWindow.length - window.count] ?? now;
        wait = Math.max(wait, oldestThatCounts + window.windowMs - now + 1);
      }
    }
    if (wait === 0) times.push(now);
    this.sent.set(key, times);
    return wait;
  }
}
