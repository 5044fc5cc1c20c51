// When the sidebar reloads: requests are debounced (a burst of connection changes or file events
// is one refresh), one refresh runs at a time (a request during a run queues one more), and the
// periodic refresh ticks only while a view is visible. vscode-free; timers are injected.

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

const realTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
  setInterval: (fn, ms) => setInterval(fn, ms),
  clearInterval: (h) => clearInterval(h as NodeJS.Timeout),
};

export class RefreshScheduler {
  private debounceHandle: unknown;
  private intervalHandle: unknown;
  private running: Promise<void> | undefined;
  private again = false;
  private visible = false;
  private intervalMs = 0;
  private waiters: (() => void)[] = [];
  /** Periodic ticks that found the views visible and ran (tests read it). */
  ticks = 0;

  constructor(
    private readonly run: () => Promise<void>,
    private readonly debounceMs = 300,
    private readonly timers: Timers = realTimers,
  ) {}

  /** Asks for a refresh soon; resolves when a refresh that started after the request finished. */
  request(): Promise<void> {
    if (this.debounceHandle !== undefined) this.timers.clearTimeout(this.debounceHandle);
    this.debounceHandle = this.timers.setTimeout(() => {
      this.debounceHandle = undefined;
      void this.now();
    }, this.debounceMs);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Refreshes right away (or right after the one running now). */
  now(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    const waiters = this.waiters;
    this.waiters = [];
    this.running = this.run()
      .catch(() => undefined)
      .finally(() => {
        this.running = undefined;
        for (const w of waiters) w();
        if (this.again) {
          this.again = false;
          void this.now();
        }
      });
    return this.running;
  }

  /** Whether any of the sidebar's views is visible; a view becoming visible refreshes it. */
  setVisible(visible: boolean): void {
    const was = this.visible;
    this.visible = visible;
    if (visible && !was) void this.request();
    this.arm();
  }

  /** Seconds between periodic refreshes (0 = off). */
  setInterval(seconds: number): void {
    this.intervalMs = Number.isFinite(seconds) && seconds > 0 ? Math.max(5, seconds) * 1000 : 0;
    this.arm();
  }

  private arm(): void {
    if (this.intervalHandle !== undefined) this.timers.clearInterval(this.intervalHandle);
    this.intervalHandle = undefined;
    if (!this.visible || !this.intervalMs) return;
    this.intervalHandle = this.timers.setInterval(() => {
      if (!this.visible) return;
      this.ticks += 1;
      void this.request();
    }, this.intervalMs);
  }

  get periodic(): boolean {
    return this.intervalHandle !== undefined;
  }

  dispose(): void {
    if (this.debounceHandle !== undefined) this.timers.clearTimeout(this.debounceHandle);
    if (this.intervalHandle !== undefined) this.timers.clearInterval(this.intervalHandle);
    this.debounceHandle = undefined;
    this.intervalHandle = undefined;
    for (const w of this.waiters) w();
    this.waiters = [];
  }
}
