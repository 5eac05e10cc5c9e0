/**
 * A one-line progress bar on stderr, shown only on a terminal and only once the work has taken
 * more than a second (quick runs print nothing).
 */
export class ProgressBar {
  private readonly started = Date.now();
  private shown = false;
  private lastDraw = 0;

  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly stream: NodeJS.WriteStream = process.stderr,
    private readonly enabled: boolean = Boolean(process.stderr.isTTY),
  ) {}

  update(done: number, detail = ''): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (now - this.started < 1000 || now - this.lastDraw < 100) return;
    this.lastDraw = now;
    this.shown = true;
    const share = this.total > 0 ? Math.min(1, done / this.total) : 0;
    const width = 30;
    const filled = Math.round(share * width);
    const bar = '█'.repeat(filled) + '░'.repeat(width - filled);
    const seconds = ((now - this.started) / 1000).toFixed(1);
    this.stream.write(`\r${this.label} ${bar} ${(share * 100).toFixed(0).padStart(3)}% ${detail} ${seconds}s\x1b[K`);
  }

  finish(): void {
    if (this.shown) this.stream.write('\r\x1b[K');
  }
}
