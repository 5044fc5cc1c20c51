// The connection commands that ask (sign-in methods, environment and site pickers, sandbox start):
// loaded on first use (their own bundle), so activation does not pay for the prompts.
import * as vscode from 'vscode';
import type { SignInArgs } from '../connection/connectionManager';
import type { ExtensionServices } from '../services';

export type ConnectionPrompts = ReturnType<typeof connectionPrompts>;

export function connectionPrompts(services: ExtensionServices) {
  const { connection } = services;
  return {
    signIn: async (args?: SignInArgs) => {
      const env = connection.environments.find(
        (e) => e.id === (args?.environmentId ?? connection.active?.id),
      );
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
    },

    selectEnvironment: async (id?: string) => {
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
    },

    selectSite: async (tenant?: string, site?: string) => {
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
    },

    startLocalSandbox: async (args?: { reset?: boolean }) => {
      const url = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'Starting the local SOLVEREIGN sandbox…' },
        () => connection.startLocalSandbox({ reset: args?.reset }),
      );
      void vscode.window.showInformationMessage(`Local sandbox running at ${url}.`);
      return url;
    },
  };
}
