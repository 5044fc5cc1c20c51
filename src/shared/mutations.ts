// What the extension changed on the server, as the server answered it: reported by procedures and
// commands so the sidebar (trees, badge, status bar) shows it at once instead of at the next refresh.

export type ServerMutation =
  /** A run was published or locked (or the server said it already was). */
  | { kind: 'run'; runId: string; published?: boolean; locked?: boolean }
  /** The kill switch after a change, from the server's answer. */
  | { kind: 'killSwitch'; active: boolean; mode?: string | null; reason?: string | null }
  /** An incident was created or changed on the server. */
  | { kind: 'incident'; id?: string };

export interface MutationReporter {
  mutated(m: ServerMutation): void;
}
