/**
 * Progress of a clone: typed events for the node agent (streamed to the
 * book's guided page as JSON lines), and a one-line terminal bar.
 */

export type ClonePhase = 'prepare' | 'format' | 'copy' | 'persistence' | 'bootloader' | 'verify' | 'commit';

export type CloneEvent =
  | { type: 'phase'; phase: ClonePhase; message: string }
  | {
      type: 'progress';
      phase: 'copy' | 'verify';
      bytesDone: number;
      bytesTotal: number;
      bytesPerSecond: number;
      /** undefined until the rate is known */
      secondsLeft?: number;
    }
  | { type: 'result'; ok: boolean; verified: boolean; target: string; files: number; bytes: number; message: string };

export type ProgressListener = (event: CloneEvent) => void;

/**
 * Counts bytes for one phase and emits at most every `intervalMs`, plus the
 * first and last update, so a fast copy does not flood the agent's stream.
 */
export class ByteMeter {
  private readonly started = Date.now();
  private lastEmit = 0;
  private done = 0;
  private readonly phase: 'copy' | 'verify';
  private readonly total: number;
  private readonly listener: ProgressListener;
  private readonly intervalMs: number;

  constructor(phase: 'copy' | 'verify', total: number, listener: ProgressListener, intervalMs = 250) {
    this.phase = phase;
    this.total = total;
    this.listener = listener;
    this.intervalMs = intervalMs;
  }

  add(bytes: number): void {
    this.done += bytes;
    const now = Date.now();
    if (this.lastEmit === 0 || now - this.lastEmit >= this.intervalMs || this.done >= this.total) {
      this.lastEmit = now;
      this.emit(now);
    }
  }

  private emit(now: number): void {
    const seconds = Math.max((now - this.started) / 1000, 0.001);
    const rate = this.done / seconds;
    this.listener({
      type: 'progress',
      phase: this.phase,
      bytesDone: this.done,
      bytesTotal: this.total,
      bytesPerSecond: Math.round(rate),
      ...(rate > 0 && seconds > 0.5 ? { secondsLeft: Math.ceil((this.total - this.done) / rate) } : {}),
    });
  }
}

function clock(seconds: number): string {
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  return m >= 60 ? `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m` : `${m}:${String(s).padStart(2, '0')}`;
}

function mib(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0);
}

/** "copy   [#########-----------]  45%  120/268 MiB  21.3 MiB/s  0:07 left" */
export function renderBar(event: Extract<CloneEvent, { type: 'progress' }>, width = 24): string {
  const fraction = event.bytesTotal > 0 ? Math.min(event.bytesDone / event.bytesTotal, 1) : 1;
  const filled = Math.round(fraction * width);
  const left = event.secondsLeft === undefined ? '' : `  ${clock(event.secondsLeft)} left`;
  return (
    `${event.phase.padEnd(6)} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(Math.floor(fraction * 100)).padStart(3)}%` +
    `  ${mib(event.bytesDone)}/${mib(event.bytesTotal)} MiB  ${mib(event.bytesPerSecond)} MiB/s${left}`
  );
}
