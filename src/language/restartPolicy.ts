// When a language server that stopped by itself is started again: up to `max` times within
// `windowMs`, then it stays stopped and the user is told (the rule vscode-eslint and the library's
// default handler use: a server that keeps crashing only burns CPU and floods the log).
// vscode-free, clock injected.

export class RestartPolicy {
  private crashes: number[] = [];

  constructor(
    private readonly max = 4,
    private readonly windowMs = 3 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records that the server stopped; true when it should be started again. */
  stopped(): boolean {
    const t = this.now();
    this.crashes = this.crashes.filter((c) => t - c < this.windowMs);
    this.crashes.push(t);
    return this.crashes.length <= this.max;
  }

  /** How often the server stopped within the window (for the message). */
  get recent(): number {
    return this.crashes.length;
  }

  get windowMinutes(): number {
    return Math.round(this.windowMs / 60_000);
  }
}
