import { describe, expect, it } from 'vitest';
import { Pacer } from '../../../bot/teams/pacer.js';

const CHANNEL = '19:abc@thread.tacv2';
const T0 = 1_700_000_000_000;

describe('Pacer with the Teams per-conversation limits', () => {
  it('allows 7 sends within one second and makes the 8th wait until the first leaves the window', () => {
    const pacer = new Pacer();
    for (let i = 0; i < 7; i++) expect(pacer.reserve(CHANNEL, T0 + i * 100)).toBe(0);

    const wait = pacer.reserve(CHANNEL, T0 + 700);
    expect(wait).toBeGreaterThan(0);
    // The first send (T0) stops counting once a full second has passed since it.
    expect(T0 + 700 + wait).toBeGreaterThanOrEqual(T0 + 1_000);
    expect(T0 + 700 + wait).toBeLessThanOrEqual(T0 + 1_001);
    expect(pacer.reserve(CHANNEL, T0 + 999)).toBeGreaterThan(0);
    expect(pacer.reserve(CHANNEL, T0 + 700 + wait)).toBe(0);
  });

  it('allows only 8 sends in two seconds', () => {
    const pacer = new Pacer();
    for (let i = 0; i < 7; i++) expect(pacer.reserve(CHANNEL, T0 + i)).toBe(0);
    expect(pacer.reserve(CHANNEL, T0 + 1_100)).toBe(0);
    const wait = pacer.reserve(CHANNEL, T0 + 1_200);
    expect(T0 + 1_200 + wait).toBeGreaterThanOrEqual(T0 + 2_000);
    expect(pacer.reserve(CHANNEL, T0 + 1_999)).toBeGreaterThan(0);
    expect(pacer.reserve(CHANNEL, T0 + 1_200 + wait)).toBe(0);
  });

  it('allows 60 sends in 30 seconds and makes the 61st wait for the oldest to age out', () => {
    const pacer = new Pacer();
    // One send every 300 ms stays under the 1 s and 2 s limits, so only the 30 s limit can bite.
    for (let i = 0; i < 60; i++) expect(pacer.reserve(CHANNEL, T0 + i * 300)).toBe(0);
    const at = T0 + 60 * 300;
    const wait = pacer.reserve(CHANNEL, at);
    expect(at + wait).toBeGreaterThanOrEqual(T0 + 30_000);
    expect(at + wait).toBeLessThanOrEqual(T0 + 30_001);
    expect(pacer.reserve(CHANNEL, T0 + 29_999)).toBeGreaterThan(0);
    expect(pacer.reserve(CHANNEL, at + wait)).toBe(0);
  });

  it('paces each conversation on its own', () => {
    const pacer = new Pacer();
    for (let i = 0; i < 7; i++) expect(pacer.reserve(CHANNEL, T0)).toBe(0);
    expect(pacer.reserve(CHANNEL, T0)).toBeGreaterThan(0);
    for (let i = 0; i < 7; i++) expect(pacer.reserve('19:other@thread.tacv2', T0)).toBe(0);
  });

  it('does not count a refused reservation as a send', () => {
    const pacer = new Pacer();
    for (let i = 0; i < 7; i++) expect(pacer.reserve(CHANNEL, T0)).toBe(0);
    // Asking many times while full must not push the next free slot further away.
    const firstWait = pacer.reserve(CHANNEL, T0 + 10);
    for (let i = 0; i < 50; i++) expect(pacer.reserve(CHANNEL, T0 + 10 + i)).toBeGreaterThan(0);
    expect(pacer.reserve(CHANNEL, T0 + 500)).toBe(firstWait - 490);
    expect(pacer.reserve(CHANNEL, T0 + 10 + firstWait)).toBe(0);
  });

  it('with a margin, keeps a send counted that much longer than Teams does', () => {
    const pacer = new Pacer(undefined, { marginMs: 250 });
    for (let i = 0; i < 7; i++) expect(pacer.reserve(CHANNEL, T0)).toBe(0);
    const wait = pacer.reserve(CHANNEL, T0 + 1_000);
    expect(wait).toBeGreaterThanOrEqual(250);
    expect(pacer.reserve(CHANNEL, T0 + 1_251)).toBe(0);
  });

  it('honours custom windows', () => {
    const pacer = new Pacer([{ count: 2, windowMs: 10_000 }]);
    expect(pacer.reserve(CHANNEL, T0)).toBe(0);
    expect(pacer.reserve(CHANNEL, T0 + 1_000)).toBe(0);
    expect(pacer.reserve(CHANNEL, T0 + 2_000)).toBe(8_001);
    expect(pacer.reserve(CHANNEL, T0 + 10_001)).toBe(0);
  });
});
