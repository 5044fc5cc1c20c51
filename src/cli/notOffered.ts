// Exit 3: the command's main action is not offered by this server. Said plainly, with the manual
// fallback that works on live SOLVEREIGN (the one table in src/api/capabilities.ts), filled in.
import { type Capability, FALLBACKS } from '../api/capabilities';
import { SolvereignApiError } from '../api/errors';

export const EXIT_NOT_OFFERED = 3;

export interface NotOffered {
  ok: false;
  not_offered: true;
  capability: Capability;
  feature: string;
  /** The exact command (or place) to use instead, or null when there is none on this server. */
  fallback: string | null;
  where: string | null;
  note: string | null;
}

export function notOffered(c: Capability, manual?: string): NotOffered {
  const f = FALLBACKS[c];
  return {
    ok: false,
    not_offered: true,
    capability: c,
    feature: f.feature,
    fallback: manual ?? f.manual ?? null,
    where: f.where ?? null,
    note: f.note ?? null,
  };
}

export function describeNotOffered(n: NotOffered): string {
  return [
    `${n.feature}: not offered by this server.`,
    n.fallback
      ? `Instead${n.where === 'server' ? ', on the server' : ''}:\n  ${n.fallback}`
      : 'There is no working fallback for it on this server.',
    n.note ? `Note: ${n.note}.` : '',
  ]
    .filter(Boolean)
    .join('\n');
}

/** The capability a call found missing (a bare 404 on an [ops] endpoint), if that is what `e` is. */
export function missingCapability(e: unknown): Capability | undefined {
  return e instanceof SolvereignApiError && e.kind === 'unsupported' ? e.capability : undefined;
}
