// The server's capabilities as the procedures see them: which features are offered, and the one
// table of working fallbacks (src/api/capabilities.ts) filled in. Used by the extension and the
// CLI alike. No `vscode` here.
import {
  type CapabilityCache,
  FALLBACKS,
  fallbackText,
  killSwitchCommand,
  type ServerCapabilities,
} from '../api/capabilities';
import type { SolvereignClient } from '../api/client';
import type { ProcedureCapabilities } from './context';

export function procedureCapabilities(caps: ServerCapabilities): ProcedureCapabilities {
  return {
    offered: caps.offered,
    fallbackText: (c) => fallbackText(c),
    killSwitchCommand,
    killSwitchScope: caps.offered.killSwitch ? undefined : FALLBACKS.killSwitch.note,
  };
}

/** Detected once per server (cached); undefined when detection fails (then every feature is assumed). */
export async function capabilitiesFor(
  cache: CapabilityCache,
  client: SolvereignClient,
): Promise<ProcedureCapabilities | undefined> {
  try {
    return procedureCapabilities(await cache.get(client));
  } catch {
    return undefined;
  }
}
