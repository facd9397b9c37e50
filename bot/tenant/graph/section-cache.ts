import type { Keep } from './section-failure.js';

export interface Loaded<T> {
  section: T;
  keep: Keep;
}

/** A refusal (missing permission) is remembered at most this long, so a fresh admin consent shows soon. */
const REFUSAL_TTL_MS = 60_000;

/**
 * Each snapshot section read from Graph, kept for `ttlMs` by the injected clock, so a second
 * `status` right after the first asks Graph nothing. Concurrent readers of one key share the read
 * in flight. A throttled or failed read is dropped once settled, so the next snapshot retries it.
 */
export class SectionCache {
  private readonly entries = new Map<string, { promise: Promise<unknown>; expiresAt: number }>();

  constructor(
    private readonly now: () => Date,
    private readonly ttlMs: number,
  ) {}

  get<T>(key: string, load: () => Promise<Loaded<T>>): Promise<T> {
    const at = this.now().getTime();
    const hit = this.entries.get(key);
    if (hit && hit.expiresAt > at) return hit.promise as Promise<T>;
    const forget = (): void => {
      if (this.entries.get(key)?.promise === promise) this.entries.delete(key);
    };
    const promise: Promise<T> = load().then(
      (loaded) => {
        const ttl = loaded.keep === 'answer' ? this.ttlMs : loaded.keep === 'refusal' ? Math.min(this.ttlMs, REFUSAL_TTL_MS) : 0;
        if (ttl > 0) this.entries.set(key, { promise, expiresAt: this.now().getTime() + ttl });
        else forget();
        return loaded.section;
      },
      (error: unknown) => {
        forget();
        throw error;
      },
    );
    // Until it settles, the read in flight is shared by everyone asking for the same key.
    this.entries.set(key, { promise, expiresAt: Number.POSITIVE_INFINITY });
    return promise;
  }
}
