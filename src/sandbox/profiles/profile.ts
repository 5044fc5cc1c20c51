// A sandbox profile: which SOLVEREIGN the sandbox imitates. `default` is our own contract (every
// [live] and [ops] endpoint); `live` is SOLVEREIGN as deployed (profiles/live.ts).
import type { Reply } from '../http';
import type { Ctx } from '../routes';

export const SANDBOX_PROFILES = ['default', 'live'] as const;
export type SandboxProfileName = (typeof SANDBOX_PROFILES)[number];

export function isSandboxProfileName(v: unknown): v is SandboxProfileName {
  return (SANDBOX_PROFILES as readonly unknown[]).includes(v);
}

export interface SandboxProfile {
  readonly name: SandboxProfileName;
  /**
   * Answers a request the way this profile's server does, or returns undefined to let the default
   * routes answer. `next` runs the default route for `ctx` (with `ctx.body` already set when the
   * profile read the body), so a profile can reshape the default answer.
   */
  handle(ctx: Ctx, next: (ctx: Ctx) => Promise<Reply>): Promise<Reply | undefined>;
  /** Line ending of Server-Sent Events (default LF). */
  readonly sseLineEnd?: '\n' | '\r\n';
}
