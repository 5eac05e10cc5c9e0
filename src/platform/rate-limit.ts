/** Outcome of {@link RateLimiter.take}. */
export type RateDecision = { readonly allowed: true } | { readonly allowed: false; readonly retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  at: number;
}

/** Buckets kept before full (idle) ones are dropped. */
const PRUNE_ABOVE = 10_000;

/**
 * A token bucket per key (an API key id): `perMinute` units refill evenly over a minute, and a
 * key may spend up to a minute's worth at once. `perMinute` 0 allows everything. State is kept in
 * this process only: with several API processes behind a load balancer each one counts its own
 * requests.
 *
 * @example
 * const uploads = new RateLimiter(30);
 * const decision = uploads.take(keyId);
 * if (!decision.allowed) respond429(decision.retryAfterSeconds);
 */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly perMs: number;

  constructor(
    readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {
    this.perMs = perMinute / 60_000;
  }

  get enabled(): boolean {
    return this.perMinute > 0;
  }

  /** Spends `amount` units of `key` (at most a minute's worth is ever asked) or says how long to wait. */
  take(key: string, amount = 1): RateDecision {
    if (!this.enabled || amount <= 0) return { allowed: true };
    const cost = Math.min(amount, this.perMinute);
    const now = this.now();
    const bucket = this.refill(key, now);
    if (bucket.tokens >= cost) {
      bucket.tokens -= cost;
      return { allowed: true };
    }
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((cost - bucket.tokens) / this.perMs / 1000)) };
  }

  private refill(key: string, now: number): Bucket {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      if (this.buckets.size >= PRUNE_ABOVE) this.prune(now);
      bucket = { tokens: this.perMinute, at: now };
      this.buckets.set(key, bucket);
      return bucket;
    }
    bucket.tokens = Math.min(this.perMinute, bucket.tokens + (now - bucket.at) * this.perMs);
    bucket.at = now;
    return bucket;
  }

  private prune(now: number): void {
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + (now - bucket.at) * this.perMs >= this.perMinute) this.buckets.delete(key);
    }
  }
}
