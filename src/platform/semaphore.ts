/**
 * At most `size` holders at once; the others wait their turn, first come first served.
 *
 * @example
 * const uploads = new Semaphore(4);
 * await uploads.run(() => ingest());
 */
export class Semaphore {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(readonly size: number) {}

  /** Holders now. */
  get inUse(): number {
    return this.active;
  }

  /** Callers waiting for a place. */
  get queued(): number {
    return this.waiting.length;
  }

  /**
   * Runs `task` once a place is free, and frees it when `task` settles. When the caller has to
   * wait, `onQueued` runs first, and the function it returns runs when the place is granted.
   */
  async run<T>(task: () => Promise<T>, onQueued?: () => () => void): Promise<T> {
    if (this.active >= this.size) {
      const granted = onQueued?.();
      await new Promise<void>((resolve) => this.waiting.push(resolve));
      granted?.();
    } else {
      this.active++;
    }
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}
