// The extension's log: one LogOutputChannel, every line redacted before it is written.
import * as vscode from 'vscode';
import { redact } from '../shared/redact';

export interface Logger {
  trace(message: string): void;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string | Error): void;
  show(): void;
}

export function createLogger(context: vscode.ExtensionContext): Logger {
  const channel = vscode.window.createOutputChannel('SOLVEREIGN', { log: true });
  context.subscriptions.push(channel);
  const clean = (m: string | Error) => redact(m instanceof Error ? m.message : m);
  return {
    trace: (m) => channel.trace(clean(m)),
    debug: (m) => channel.debug(clean(m)),
    info: (m) => channel.info(clean(m)),
    warn: (m) => channel.warn(clean(m)),
    error: (m) => channel.error(clean(m)),
    show: () => channel.show(true),
  };
}
