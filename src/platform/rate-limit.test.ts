import { describe, expect, it } from 'vitest';
import { RateLimiter } from './rate-limit.js';

describe('RateLimiter', () => {
  it('allows a minute worth at once, then refuses with the seconds until enough has refilled', () => {
    let now = 0;
    const limiter = new RateLimiter(6, () => now);
    for (let i = 0; i < 6; i++) expect(limiter.take('k').allowed).toBe(true);
    expect(limiter.take('k')).toEqual({ allowed: false, retryAfterSeconds: 10 });
    now += 10_000;
    expect(limiter.take('k').allowed).toBe(true);
    expect(limiter.take('k').allowed).toBe(false);
  });

  it('counts each key apart', () => {
    const limiter = new RateLimiter(1, () => 0);
    expect(limiter.take('a').allowed).toBe(true);
    expect(limiter.take('a').allowed).toBe(false);
    expect(limiter.take('b').allowed).toBe(true);
  });

  it('charges amounts, never more than a minute worth, and allows everything when off', () => {
    let now = 0;
    const limiter = new RateLimiter(100, () => now);
    expect(limiter.take('k', 1_000).allowed).toBe(true);
    expect(limiter.take('k', 1)).toEqual({ allowed: false, retryAfterSeconds: 1 });
    now += 30_000;
    expect(limiter.take('k', 40).allowed).toBe(true);
    expect(limiter.take('k', 20).allowed).toBe(false);
    const off = new RateLimiter(0);
    for (let i = 0; i < 1_000; i++) expect(off.take('k', 1e9).allowed).toBe(true);
  });
});
