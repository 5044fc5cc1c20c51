// The shared services every part of the extension receives at activation.
import type { CapabilityCache } from './api/capabilities';
import type { Config } from './config';
import type { ConnectionManager } from './connection/connectionManager';
import type { Logger } from './connection/log';
import type { EvidenceCache, EvidenceSource } from './evidence/runEvidence';
import type { SidebarStore } from './views/sidebarStore';

export interface ExtensionServices {
  config: Config;
  connection: ConnectionManager;
  log: Logger;
  /** Mutations the extension made, for the sidebar to show at once (procedures and commands report). */
  store: SidebarStore;
  /** What each server offers, detected once per server and again after a reconnect. */
  capabilities: CapabilityCache;
  /** Verified evidence packs of the L3 workspace: one cache (loaded on first use), emptied on sign-out
   * and environment switch; `source()` reads the active connection (throws with what to do if none). */
  evidence: { cache(): EvidenceCache; source(): EvidenceSource };
}
