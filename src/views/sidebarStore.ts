// The sidebar's one entry point for change made by the extension itself: procedures and commands
// report each server-confirmed mutation here (built once in activate(), handed to every area); the
// sidebar applies it to trees, badge and status bar at once, then re-reads from the server.
// External changes (the CLI toggling the kill switch) arrive through the periodic refresh.
// vscode-free.
import type { MutationReporter, ServerMutation } from '../shared/mutations';

export class SidebarStore implements MutationReporter {
  private readonly listeners = new Set<(m: ServerMutation) => void>();
  /** Every mutation reported so far (newest last; tests read it). */
  readonly history: ServerMutation[] = [];

  mutated(m: ServerMutation): void {
    this.history.push(m);
    if (this.history.length > 50) this.history.shift();
    for (const l of [...this.listeners]) l(m);
  }

  onDidMutate(listener: (m: ServerMutation) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }
}
