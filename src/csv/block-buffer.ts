/**
 * Supplies a spare `ArrayBuffer` of at least `minBytes` (one no longer used by anyone, such as a
 * block's buffer that a worker thread has handed back), or undefined to allocate a new one.
 */
export type BufferSupply = (minBytes: number) => ArrayBuffer | undefined;

/**
 * An append-only byte window for cutting a stream into blocks: bytes are appended at the end and
 * taken from the front as contiguous `Buffer` views, without copying.
 *
 * Bytes that were handed out are never written again: when the backing buffer is full, a new one
 * is allocated and only the bytes not yet taken move, so a block handed out stays valid while the
 * next one fills. Memory is the block being built plus whatever the consumer still holds.
 */
export class BlockBuffer {
  #buf: Buffer;
  #start = 0;
  #end = 0;
  readonly #blockCapacity: number;
  /** Largest chunk appended so far: a block's buffer has room for one more read than a block. */
  #largestChunk = 0;
  /** Grows toward #settled(), so a small input never allocates a whole block. */
  #capacity = 64 * 1024;

  readonly #reuse: BufferSupply | undefined;

  /**
   * @param blockCapacity bytes of a typical block; allocations settle at this size plus the largest
   *   chunk appended, so the read that completes a block never overflows its buffer.
   * @param reuse where to look for a spare buffer before allocating one (see `BufferSupply`).
   */
  constructor(blockCapacity: number, reuse?: BufferSupply) {
    this.#blockCapacity = Math.max(1024, blockCapacity);
    this.#buf = Buffer.allocUnsafe(0);
    this.#reuse = reuse;
  }

  /** Number of bytes appended and not yet taken. */
  get length(): number {
    return this.#end - this.#start;
  }

  append(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    if (chunk.length > this.#largestChunk) this.#largestChunk = chunk.length;
    if (this.#end + chunk.length > this.#buf.length) {
      const kept = this.#end - this.#start;
      const needed = kept + chunk.length;
      // Fourfold steps (at least what is needed): few dead buffers on the way to the settled size.
      const settled = this.#settled();
      this.#capacity = Math.min(settled, Math.max(this.#capacity * 4, needed));
      // Headroom past a record longer than a block, so that it does not cost a copy per chunk.
      const next = this.#allocate(needed > this.#capacity ? needed + Math.min(needed, settled) : this.#capacity);
      this.#buf.copy(next, 0, this.#start, this.#end);
      this.#buf = next;
      this.#start = 0;
      this.#end = kept;
    }
    this.#buf.set(chunk, this.#end);
    this.#end += chunk.length;
  }

  /** The bytes not yet taken, as a view; a snapshot that later appends do not extend. */
  view(): Buffer {
    return this.#buf.subarray(this.#start, this.#end);
  }

  /** Removes the first `n` bytes and returns them; the view stays valid for good. */
  take(n: number): Buffer {
    if (n > this.length) throw new RangeError(`Cannot take ${n} bytes, only ${this.length} buffered`);
    const out = this.#buf.subarray(this.#start, this.#start + n);
    this.#start += n;
    return out;
  }

  /**
   * Like `take`, but the returned bytes are the only thing their `ArrayBuffer` holds (it may be
   * longer than them), so the caller may transfer that buffer to another thread without copying.
   * When the bytes start the backing buffer, which is then the usual case for a block, the
   * backing buffer itself is handed over and only the few bytes buffered after them move to a
   * fresh one; otherwise they are copied.
   */
  takeOwned(n: number): Buffer {
    if (n > this.length) throw new RangeError(`Cannot take ${n} bytes, only ${this.length} buffered`);
    const buf = this.#buf;
    const rest = this.#end - this.#start - n;
    const ownsBuffer = buf.byteOffset === 0 && buf.buffer.byteLength === buf.length;
    if (this.#start === 0 && ownsBuffer && rest <= buf.length >>> 2) {
      const next = this.#allocate(Math.max(this.#capacity, rest));
      buf.copy(next, 0, n, this.#end);
      this.#buf = next;
      this.#start = 0;
      this.#end = rest;
      return buf.subarray(0, n);
    }
    const out = this.#allocate(n).subarray(0, n);
    buf.copy(out, 0, this.#start, this.#start + n);
    this.#start += n;
    return out;
  }

  #settled(): number {
    return this.#blockCapacity + this.#largestChunk;
  }

  /** A buffer of at least `size` bytes that owns its whole ArrayBuffer: a spare one, or a new one. */
  #allocate(size: number): Buffer {
    const spare = this.#reuse?.(size);
    if (spare !== undefined && spare.byteLength >= size) return Buffer.from(spare);
    // allocUnsafeSlow: a buffer of its own, never a slice of Node's shared pool.
    return Buffer.allocUnsafeSlow(size);
  }
}
