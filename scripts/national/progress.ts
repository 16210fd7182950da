/** A progress line for long CLI work: a bar, the count, the elapsed time and an estimate of what is left. */
export class Progress {
  private readonly started = Date.now();
  private lastLine = Date.now();

  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly out: NodeJS.WriteStream = process.stderr,
  ) {}

  update(done: number, detail = ''): void {
    const now = Date.now();
    // On a terminal the line is redrawn; in a log (CI) a line every 10 s and at the end.
    if (!this.out.isTTY && done < this.total && now - this.lastLine < 10_000) return;
    this.lastLine = now;
    const ratio = this.total === 0 ? 1 : Math.min(1, done / this.total);
    const width = 24;
    const bar = '#'.repeat(Math.round(ratio * width)).padEnd(width, '-');
    const elapsed = (now - this.started) / 1000;
    const eta = ratio > 0 && ratio < 1 ? ` ~${formatSeconds((elapsed / ratio) * (1 - ratio))} left` : '';
    const percent = String(Math.round(ratio * 100)).padStart(3);
    const line = `${this.label.padEnd(22)} [${bar}] ${percent}% ${formatSeconds(elapsed)}${eta}${detail ? ` ${detail}` : ''}`;
    if (this.out.isTTY) this.out.write(`\r${line}\x1b[K${done >= this.total ? '\n' : ''}`);
    else this.out.write(`${line}\n`);
  }
}

export function formatSeconds(s: number): string {
  if (s < 60) return `${s.toFixed(0)} s`;
  return `${Math.floor(s / 60)} min ${String(Math.round(s % 60)).padStart(2, '0')} s`;
}
