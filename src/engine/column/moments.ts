/**
 * Exact running moments (count, min, max, mean, M2) with Welford updates and Chan et al.'s
 * pairwise merge, so any split of the values merges to the moments of the whole
 * (to floating-point rounding).
 */
export class Moments {
  n = 0;
  min = Infinity;
  max = -Infinity;
  mean = 0;
  m2 = 0;

  update(x: number): void {
    const n = ++this.n;
    const delta = x - this.mean;
    this.mean += delta / n;
    this.m2 += delta * (x - this.mean);
    if (x < this.min) this.min = x;
    if (x > this.max) this.max = x;
  }

  /** Adds `weight` copies of x at once (West's weighted update; the same as `weight` updates, to rounding). */
  updateWeighted(x: number, weight: number): void {
    const n = (this.n += weight);
    const delta = x - this.mean;
    this.mean += (delta * weight) / n;
    this.m2 += delta * (x - this.mean) * weight;
    if (x < this.min) this.min = x;
    if (x > this.max) this.max = x;
  }

  merge(other: Moments): this {
    if (other.n === 0) return this;
    if (this.n === 0) {
      this.n = other.n;
      this.min = other.min;
      this.max = other.max;
      this.mean = other.mean;
      this.m2 = other.m2;
      return this;
    }
    const n = this.n + other.n;
    const delta = other.mean - this.mean;
    this.mean += (delta * other.n) / n;
    this.m2 += other.m2 + (delta * delta * this.n * other.n) / n;
    this.n = n;
    if (other.min < this.min) this.min = other.min;
    if (other.max > this.max) this.max = other.max;
    return this;
  }

  /** Sample standard deviation (n − 1 in the denominator); 0 below two values. */
  stddev(): number {
    return this.n < 2 ? 0 : Math.sqrt(Math.max(0, this.m2 / (this.n - 1)));
  }

  toJSON(): MomentsJson {
    return { n: this.n, min: this.n ? this.min : null, max: this.n ? this.max : null, mean: this.mean, m2: this.m2 };
  }

  static fromJSON(json: MomentsJson): Moments {
    const m = new Moments();
    m.n = json.n;
    m.min = json.min ?? Infinity;
    m.max = json.max ?? -Infinity;
    m.mean = json.mean;
    m.m2 = json.m2;
    return m;
  }
}

export interface MomentsJson {
  n: number;
  min: number | null;
  max: number | null;
  mean: number;
  m2: number;
}
