// Sign in/out, environment and site selection, local sandbox. Every command accepts its answers as
// arguments (tests and automation) and asks with quick picks/input boxes only for what is missing
// (the asking part, src/commands/connectionPrompts.ts, loads on first use).
import * as vscode from 'vscode';
import { LAZY_BUNDLES, loadBundle } from '../bundles';
import type { ExtensionServices } from '../services';
import type { ConnectionPrompts } from './connectionPrompts';

export function registerConnectionCommands(
  context: vscode.ExtensionContext,
  services: ExtensionServices,
): void {
  const { connection, log } = services;
  const register = (id: string, fn: (...args: never[]) => unknown) =>
    context.subscriptions.push(
      vscode.commands.registerCommand(id, async (...args: never[]) => {
        try {
          return await fn(...args);
        } catch (e) {
          const message = e instanceof Error ? e.message : String(e);
          log.error(`${id}: ${message}`);
          // Not awaited: a notification resolves only when dismissed.
          void vscode.window.showErrorMessage(message, 'Show Log').then((a) => a && log.show());
          return undefined;
        }
      }),
    );

  register('solvereign.signOut', async (environmentId?: string) => {
    await connection.signOut(environmentId);
    void vscode.window.showInformationMessage('Signed out of SOLVEREIGN.');
  });

  // The prompting commands load their bundle on first use.
  let prompts: ConnectionPrompts | undefined;
  const lazy =
    <K extends keyof ConnectionPrompts>(name: K) =>
    (...args: Parameters<ConnectionPrompts[K]>) => {
      prompts ??= loadBundle<typeof import('./connectionPrompts')>(
        context.extensionPath,
        LAZY_BUNDLES.connectionPrompts,
      ).connectionPrompts(services);
      return (prompts[name] as (...a: Parameters<ConnectionPrompts[K]>) => unknown)(...args);
    };
  register('solvereign.signIn', lazy('signIn'));
  register('solvereign.selectEnvironment', lazy('selectEnvironment'));
  register('solvereign.selectSite', lazy('selectSite'));
  register('solvereign.startLocalSandbox', lazy('startLocalSandbox'));

  register('solvereign.stopLocalSandbox', async () => {
    await connection.stopLocalSandbox();
  });

  register('solvereign.refresh', async () => {
    await connection.refresh();
  });

  register('solvereign.showLog', () => log.show());
}
