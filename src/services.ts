// The shared services every part of the extension receives at activation.
import type { CapabilityCache } from './api/capabilities';
import type { Config } from './config';
import type { ConnectionManager } from './connection/connectionManager';
import type { Logger } from './connection/log';
import type { SidebarStore } from './views/sidebarStore';

export interface ExtensionServices {
  config: Config;
  connection: ConnectionManager;
  log: Logger;
  /** Mutations the extension made, for the sidebar to show at once (procedures and commands report). */
  store: SidebarStore;
  /** What each server offers, detected once per server and again after a reconnect. */
  capabilities: CapabilityCache;
}
