// The shared services every part of the extension receives at activation.
import type { Config } from './config';
import type { ConnectionManager } from './connection/connectionManager';
import type { Logger } from './connection/log';

export interface ExtensionServices {
  config: Config;
  connection: ConnectionManager;
  log: Logger;
}
