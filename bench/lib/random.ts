/** mulberry32: a small seeded PRNG, so a chaos run's kill times can be replayed with --seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * `count` moments in [from, to) ms, sorted, at least `minGap` apart. (A kill whose moment comes
 * while the bot is still restarting happens right after the restart.) Falls back to even spacing
 * when random draws keep colliding.
 */
export function spacedMoments(random: () => number, count: number, from: number, to: number, minGap: number): number[] {
  for (let attempt = 0; attempt < 1_000; attempt++) {
    const moments = Array.from({ length: count }, () => from + random() * (to - from)).sort((a, b) => a - b);
    if (moments.every((m, i) => i === 0 || m - (moments[i - 1] ?? m) >= minGap)) return moments;
  }
  return Array.from({ length: count }, (_, i) => from + ((i + 0.5) * (to - from)) / count);
}
