// The shared services every part of the extension receives at activation.
import type { ConnectionManager } from './connection/connectionManager';
import type { Logger } from './connection/log';

export interface ExtensionServices {
  connection: ConnectionManager;
  log: Logger;
}
