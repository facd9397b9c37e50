export interface BucketClock {
  /** Monotonic milliseconds. */
  now(): number;
  sleep(ms: number): Promise<void>;
}

const realClock: BucketClock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/**
 * A token bucket that queues callers instead of dropping them: `take()` resolves, in arrival order,
 * once a token is free. `capacity` tokens at most, one more every `refillMs`.
 */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly capacity: number,
    private readonly refillMs: number,
    private readonly clock: BucketClock = realClock,
  ) {
    this.tokens = capacity;
    this.updatedAt = clock.now();
  }

  take(): Promise<void> {
    const turn = this.queue.then(() => this.waitForToken());
    this.queue = turn;
    return turn;
  }

  private async waitForToken(): Promise<void> {
    for (;;) {
      const now = this.clock.now();
      this.tokens = Math.min(this.capacity, this.tokens + (now - this.updatedAt) / this.refillMs);
      this.updatedAt = now;
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await this.clock.sleep(Math.ceil((1 - this.tokens) * this.refillMs));
    }
  }
}

export interface TenantBuckets {
  /** Conditional Access policies: Graph allows 1 request/s per tenant. */
  conditionalAccess: TokenBucket;
  /** signInActivity: throttled to about 10 requests/min; a burst of 2, then one every 6 s. */
  signInActivity: TokenBucket;
}

const perTenant = new Map<string, TenantBuckets>();

/** One set of buckets per tenant in this process, shared by every reader of that tenant. */
export function tenantBuckets(tenantId: string): TenantBuckets {
  const key = tenantId.toLowerCase();
  const existing = perTenant.get(key);
  if (existing) return existing;
  const created = { conditionalAccess: new TokenBucket(1, 1_000), signInActivity: new TokenBucket(2, 6_000) };
  perTenant.set(key, created);
  return created;
}
