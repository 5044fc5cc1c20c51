// Sign in/out, environment and site selection, local sandbox. Every command accepts its answers as
// arguments (tests and automation) and asks with quick picks/input boxes only for what is missing.
import * as vscode from 'vscode';
import type { SignInArgs } from '../connection/connectionManager';
import type { ExtensionServices } from '../services';

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

  register('solvereign.signIn', async (args?: SignInArgs) => {
    const env = connection.environments.find((e) => e.id === (args?.environmentId ?? connection.active?.id));
    let input: SignInArgs | undefined =
      args && (args.apiKey || args.email || args.demoRole) ? args : undefined;
    if (!input) {
      const methods: (vscode.QuickPickItem & { method: string })[] = [
        { label: '$(key) API key', description: 'service account or personal key', method: 'key' },
        { label: '$(account) Email and password', description: 'session sign-in', method: 'password' },
      ];
      if (env?.isLocalSandbox) {
        methods.unshift({
          label: '$(beaker) Demo account',
          description: 'local sandbox only',
          method: 'demo',
        });
      }
      const pick = await vscode.window.showQuickPick(methods, {
        title: `Sign in to ${env?.name ?? 'SOLVEREIGN'}`,
        placeHolder: 'How do you want to sign in?',
        ignoreFocusOut: true,
      });
      if (!pick) return undefined;
      if (pick.method === 'demo') {
        const roles = connection.demoRoles();
        const role = await vscode.window.showQuickPick(roles.length ? roles : ['platform_admin'], {
          title: 'Demo role',
          placeHolder:
            'Roles decide what you may do (e.g. only ops_lead/platform_admin may pull the kill switch)',
        });
        if (!role) return undefined;
        input = { environmentId: env?.id, demoRole: role };
      } else if (pick.method === 'key') {
        const apiKey = await vscode.window.showInputBox({
          title: `API key for ${env?.name}`,
          password: true,
          ignoreFocusOut: true,
          prompt: 'Stored only in VS Code SecretStorage',
          validateInput: (v) => (v.trim().length < 8 ? 'That does not look like an API key' : undefined),
        });
        if (!apiKey) return undefined;
        input = { environmentId: env?.id, apiKey };
      } else {
        const email = await vscode.window.showInputBox({ title: 'Email', ignoreFocusOut: true });
        if (!email) return undefined;
        const password = await vscode.window.showInputBox({
          title: 'Password',
          password: true,
          ignoreFocusOut: true,
        });
        if (!password) return undefined;
        // Live SOLVEREIGN takes an integer tenant id, or none (a tenant code is refused there).
        const tenantId = await vscode.window.showInputBox({
          title: 'Tenant id (optional)',
          prompt: 'The numeric tenant id, if your server asks for one; leave empty otherwise',
          ignoreFocusOut: true,
          validateInput: (v) =>
            v.trim() === '' || /^\d+$/.test(v.trim()) ? undefined : 'A number, or empty',
        });
        if (tenantId === undefined) return undefined;
        input = {
          environmentId: env?.id,
          email,
          password,
          ...(tenantId.trim() ? { tenantId: Number(tenantId.trim()) } : {}),
        };
      }
    }
    const session = await connection.signIn(input);
    void vscode.window.showInformationMessage(
      `Signed in to ${connection.active?.name}${session ? ` as ${session.email} (${session.role_name})` : ''}.`,
    );
    return session ? { email: session.email, role: session.role_name } : { ok: true };
  });

  register('solvereign.signOut', async (environmentId?: string) => {
    await connection.signOut(environmentId);
    void vscode.window.showInformationMessage('Signed out of SOLVEREIGN.');
  });

  register('solvereign.selectEnvironment', async (id?: string) => {
    if (!id) {
      const pick = await vscode.window.showQuickPick(
        [
          ...connection.environments.map((e) => ({
            label: e.name,
            description: `${e.url} · ${e.tenant}/${e.site}`,
            detail: e.id === connection.active?.id ? 'active' : undefined,
            id: e.id,
          })),
          {
            label: '$(gear) Add an environment…',
            description: 'solvereign.environments in your user settings',
            id: '',
          },
        ],
        { title: 'Select SOLVEREIGN environment' },
      );
      if (!pick) return undefined;
      if (!pick.id) {
        await vscode.commands.executeCommand('workbench.action.openSettingsJson', {
          revealSetting: { key: 'solvereign.environments' },
        });
        return undefined;
      }
      id = pick.id;
    }
    await connection.selectEnvironment(id);
    return connection.active?.id;
  });

  register('solvereign.selectSite', async (tenant?: string, site?: string) => {
    if (!tenant || !site) {
      const value = await vscode.window.showInputBox({
        title: 'Site (tenant/site)',
        value: `${connection.active?.tenant}/${connection.active?.site}`,
        validateInput: (v) => (/^[\w-]+\/[\w-]+$/.test(v) ? undefined : 'Use tenant/site, e.g. lts/wien'),
      });
      if (!value) return undefined;
      [tenant, site] = value.split('/') as [string, string];
    }
    await connection.selectSite(tenant, site);
    return `${tenant}/${site}`;
  });

  register('solvereign.startLocalSandbox', async (args?: { reset?: boolean }) => {
    const url = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Starting the local SOLVEREIGN sandbox…' },
      () => connection.startLocalSandbox({ reset: args?.reset }),
    );
    void vscode.window.showInformationMessage(`Local sandbox running at ${url}.`);
    return url;
  });

  register('solvereign.stopLocalSandbox', async () => {
    await connection.stopLocalSandbox();
  });

  register('solvereign.refresh', async () => {
    await connection.refresh();
  });

  register('solvereign.showLog', () => log.show());
}
