// Which environment and site the extension works on, whether we are signed in, and a client for it.
// Credentials live only in SecretStorage (one entry per environment); nothing secret goes to
// settings, globalState or the log. Views and procedures listen to `onDidChange`.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { Config, SettingKey } from '../config';
import { ApiKeyAuth, type SessionCredential, SessionAuth } from '../api/auth';
import type { AuthProvider, SolvereignClient } from '../api/client';
import { SolvereignApiError } from '../api/errors';
import type { Session } from '../api/schemas';
import { LAZY_BUNDLES, loadBundle } from '../bundles';
import { globalRedactor } from '../shared/redact';
import { type Environment, LOCAL_SANDBOX_ID, localSandbox, parseEnvironments } from './environments';
import type { Logger } from './log';
import { type SandboxProcess, startSandboxProcess } from './sandboxProcess';

export type ConnectionState = 'noEnvironment' | 'sandboxStopped' | 'signedOut' | 'unreachable' | 'ready';

type StoredCredential =
  | { kind: 'apiKey'; apiKey: string }
  | ({ kind: 'session'; email?: string } & SessionCredential);

export interface SignInArgs {
  environmentId?: string;
  apiKey?: string;
  email?: string;
  password?: string;
  /** Sign in to the local sandbox with its demo account for this role. */
  demoRole?: string;
  /** Live's integer tenant id for session sign-in; without it no tenant is sent (live refuses a code). */
  tenantId?: number;
}

const ACTIVE_ENV_KEY = 'solvereign.activeEnvironment';
const SITE_KEY = (envId: string) => `solvereign.site.${envId}`;
const SECRET_KEY = (envId: string) => `solvereign.credential.${envId}`;
/** Set when the user signs out of the local sandbox, so it is not signed in again by itself. */
const SIGNED_OUT_KEY = 'solvereign.sandbox.signedOut';
/** The settings that decide where the connection goes and how it signs in. */
const CONNECTION_SETTINGS: readonly SettingKey[] = [
  'environments',
  'sandbox.port',
  'sandbox.demoRole',
  'requestTimeoutMs',
];

export class ConnectionManager implements vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  /** Fires when the environment, site, sign-in or reachability changes. */
  readonly onDidChange = this.changeEmitter.event;
  private disposables: vscode.Disposable[] = [this.changeEmitter];
  private currentState: ConnectionState = 'signedOut';
  private currentClient: SolvereignClient | undefined;
  private currentSession: Session | undefined;
  /** Whether the current connection carries a credential (false: the server answers without one). */
  private credentialed = false;
  private lastError: string | undefined;
  private sandbox: SandboxProcess | undefined;
  private refreshing: Promise<void> | undefined;
  private queuedRefresh: Promise<void> | undefined;
  private configured: Environment[] | undefined;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: Logger,
    private readonly config: Config,
  ) {
    this.disposables.push(
      config.onDidChange(CONNECTION_SETTINGS, (changed) => {
        if (changed.includes('environments')) this.configured = undefined;
        void this.refresh();
      }),
      context.secrets.onDidChange((e) => {
        if (e.key.startsWith('solvereign.credential.')) void this.refresh();
      }),
    );
  }

  get state(): ConnectionState {
    return this.currentState;
  }
  /** Why the state is not 'ready' (for tree error rows and welcome views). */
  get problem(): string | undefined {
    return this.lastError;
  }
  get session(): Session | undefined {
    return this.currentSession;
  }
  get role(): string | undefined {
    return this.currentSession?.role_name;
  }
  /**
   * Signed in. A server whose cockpit answers without credentials (live SOLVEREIGN) is 'ready'
   * without it: trees and procedures work, sign-in is offered only for what needs it.
   */
  get signedIn(): boolean {
    return this.credentialed && (this.currentState === 'ready' || this.currentState === 'unreachable');
  }
  get sandboxRunning(): boolean {
    return !!this.sandbox && this.sandbox.child.exitCode === null;
  }

  get environments(): Environment[] {
    return [this.localEnvironment(), ...this.configuredEnvironments()];
  }

  /** `solvereign.environments`, parsed once per settings change (its problems logged once). */
  private configuredEnvironments(): Environment[] {
    if (!this.configured) {
      const { environments, problems } = parseEnvironments(this.config.get('environments'));
      for (const p of problems) this.log.warn(`settings: ${p.message}`);
      this.configured = environments;
    }
    return this.configured;
  }

  get active(): Environment | undefined {
    const id = this.context.globalState.get<string>(ACTIVE_ENV_KEY) ?? LOCAL_SANDBOX_ID;
    const env = this.environments.find((e) => e.id === id);
    if (!env) return undefined;
    const site = this.context.globalState.get<{ tenant: string; site: string }>(SITE_KEY(env.id));
    return site ? { ...env, tenant: site.tenant, site: site.site } : env;
  }

  /** The client for the active environment and site, or undefined when not signed in. */
  get client(): SolvereignClient | undefined {
    return this.currentState === 'ready' || this.currentState === 'unreachable'
      ? this.currentClient
      : undefined;
  }

  /** The client, or an error that says what to do. */
  requireClient(): SolvereignClient {
    const c = this.client;
    if (c) return c;
    throw new Error(this.describeState());
  }

  describeState(): string {
    switch (this.currentState) {
      case 'noEnvironment':
        return 'No SOLVEREIGN environment is selected. Run "SOLVEREIGN: Select Environment".';
      case 'sandboxStopped':
        return 'The local sandbox is not running. Run "SOLVEREIGN: Start Local Sandbox".';
      case 'signedOut':
        return `Not signed in to ${this.active?.name ?? 'SOLVEREIGN'}. Run "SOLVEREIGN: Sign In".`;
      case 'unreachable':
        return `${this.active?.name ?? 'The server'} is unreachable${this.lastError ? `: ${this.lastError}` : ''}.`;
      default:
        return this.credentialed
          ? 'Connected.'
          : "Connected without signing in (this server's cockpit needs no credentials).";
    }
  }

  private localEnvironment(): Environment {
    const override = process.env.SOLVEREIGN_SANDBOX_URL || undefined;
    return localSandbox({
      port: this.sandbox?.port ?? this.config.get('sandbox.port'),
      urlOverride: this.sandbox ? this.sandbox.url : override,
    });
  }

  // ---------------------------------------------------------------- state

  /** Re-reads settings and secrets, rebuilds the client and checks that the server answers. */
  refresh(): Promise<void> {
    if (this.refreshing) {
      // The running refresh may have read the old environment or credential: run once more after it.
      this.queuedRefresh ??= this.refreshing.then(() => {
        this.queuedRefresh = undefined;
        return this.refresh();
      });
      return this.queuedRefresh;
    }
    this.refreshing = this.doRefresh().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  private async doRefresh(): Promise<void> {
    const before = `${this.currentState}|${this.currentClient?.baseUrl}|${this.currentSession?.email}`;
    const env = this.active;
    this.lastError = undefined;
    if (!env) {
      this.setState('noEnvironment', undefined);
    } else {
      let credential = await this.readCredential(env.id);
      if (!credential && env.isLocalSandbox) credential = await this.autoSignInToSandbox(env);
      const client = this.makeClient(env, credential);
      this.credentialed = !!credential;
      if (!credential) {
        // Signed out; still tell "sandbox stopped" apart so the welcome view offers the right action.
        const reachable = await this.reachable(client);
        if (reachable && (await this.answersWithoutCredentials(env))) this.setState('ready', client);
        else this.setState(env.isLocalSandbox && !reachable ? 'sandboxStopped' : 'signedOut', client);
      } else if (credential.kind === 'apiKey' && (await this.answersWithoutCredentials(env))) {
        // Live checks no API key on its cockpit and refuses one on /api/auth/me: nothing to verify.
        this.currentSession = undefined;
        this.setState('ready', client);
      } else {
        try {
          this.currentSession = await client.me({ timeoutMs: 5000 });
          this.setState('ready', client);
        } catch (e) {
          this.currentSession = undefined;
          if (e instanceof SolvereignApiError && (e.status === 401 || e.status === 403)) {
            this.lastError = e.message;
            this.setState('signedOut', client);
          } else if (e instanceof SolvereignApiError && e.status === 404) {
            // A server without /api/auth/me: the credential may still be good.
            this.setState('ready', client);
          } else {
            this.lastError = e instanceof Error ? e.message : String(e);
            this.setState(
              env.isLocalSandbox && !(await this.reachable(client)) ? 'sandboxStopped' : 'unreachable',
              client,
            );
          }
        }
      }
    }
    const after = `${this.currentState}|${this.currentClient?.baseUrl}|${this.currentSession?.email}`;
    if (before !== after)
      this.log.info(`connection: ${this.currentState} (${env?.name ?? 'no environment'})`);
    await this.updateContextKeys();
    this.changeEmitter.fire();
  }

  private setState(state: ConnectionState, client: SolvereignClient | undefined): void {
    this.currentState = state;
    this.currentClient = client;
    if (state !== 'ready') this.currentSession = state === 'unreachable' ? this.currentSession : undefined;
  }

  /** Whether the dispatcher cockpit answers with no credentials at all (live SOLVEREIGN does). */
  private async answersWithoutCredentials(env: Environment): Promise<boolean> {
    try {
      await this.makeClient(env, undefined).status({ timeoutMs: 5000 });
      return true;
    } catch {
      return false;
    }
  }

  private async reachable(client: SolvereignClient): Promise<boolean> {
    try {
      await client.live({ timeoutMs: 1500 });
      return true;
    } catch (e) {
      this.lastError = e instanceof Error ? e.message : String(e);
      return false;
    }
  }

  private async updateContextKeys(): Promise<void> {
    const set = (key: string, value: unknown) => vscode.commands.executeCommand('setContext', key, value);
    await Promise.all([
      set('solvereign.state', this.currentState),
      set('solvereign.signedIn', this.signedIn),
      set('solvereign.connected', this.currentState === 'ready' || this.currentState === 'unreachable'),
      set('solvereign.sandboxRunning', this.sandboxRunning),
      set('solvereign.isLocalSandbox', !!this.active?.isLocalSandbox),
      set('solvereign.role', this.currentSession?.role_name ?? ''),
    ]);
  }

  private clientModule: typeof import('../api/client') | undefined;

  private makeClient(env: Environment, credential: StoredCredential | undefined): SolvereignClient {
    let auth: AuthProvider | undefined;
    if (credential?.kind === 'apiKey') auth = new ApiKeyAuth(credential.apiKey);
    else if (credential?.kind === 'session') {
      auth = new SessionAuth(credential, async (c) => {
        await this.storeCredential(env.id, { ...credential, ...c, kind: 'session' });
      });
    }
    // The HTTP client (axios, the zod schemas) is its own bundle, loaded when the first client is made.
    this.clientModule ??= loadBundle<typeof import('../api/client')>(
      this.context.extensionPath,
      LAZY_BUNDLES.apiClient,
    );
    return new this.clientModule.SolvereignClient({
      baseUrl: env.url,
      tenant: env.tenant,
      site: env.site,
      auth,
      timeoutMs: this.config.get('requestTimeoutMs'),
      userAgent: `solvereign-ops-vscode/${this.context.extension.packageJSON.version ?? '0'}`,
      log: (level, message) => this.log[level](message),
    });
  }

  /** A client for another site of the active environment (Sites tree children). */
  clientForSite(tenant: string, site: string): SolvereignClient | undefined {
    return this.client?.forSite(site, tenant);
  }

  /**
   * A new user gets a working extension without an account: on the local sandbox, sign in with its
   * demo credentials file — only if that file is bound to this very URL and the user has not
   * signed out on purpose.
   */
  private async autoSignInToSandbox(env: Environment): Promise<StoredCredential | undefined> {
    if (this.context.globalState.get<boolean>(SIGNED_OUT_KEY)) return undefined;
    const demo = this.readDemoFile();
    if (!demo?.server || demo.server.replace(/\/+$/, '') !== env.url) return undefined;
    const role = this.config.get('sandbox.demoRole');
    const key = demo.keys?.[role] ?? demo.api_key;
    if (!key) return undefined;
    const credential: StoredCredential = { kind: 'apiKey', apiKey: key };
    globalRedactor.add(key);
    await this.storeCredential(env.id, credential);
    this.log.info(`signed in to the local sandbox with its demo account (${role})`);
    return credential;
  }

  // ---------------------------------------------------------------- environment and site

  async selectEnvironment(id: string): Promise<void> {
    if (!this.environments.some((e) => e.id === id)) throw new Error(`unknown environment ${id}`);
    await this.context.globalState.update(ACTIVE_ENV_KEY, id);
    await this.refresh();
  }

  async selectSite(tenant: string, site: string): Promise<void> {
    const env = this.active;
    if (!env) return;
    await this.context.globalState.update(SITE_KEY(env.id), { tenant, site });
    await this.refresh();
  }

  // ---------------------------------------------------------------- credentials

  private async readCredential(envId: string): Promise<StoredCredential | undefined> {
    const raw = await this.context.secrets.get(SECRET_KEY(envId));
    if (!raw) return undefined;
    try {
      const c = JSON.parse(raw) as StoredCredential;
      if (c.kind === 'apiKey') globalRedactor.add(c.apiKey);
      else {
        globalRedactor.add(c.token);
        globalRedactor.add(c.cookie);
      }
      return c;
    } catch {
      this.log.warn(`stored credential for ${envId} is unreadable; sign in again`);
      await this.context.secrets.delete(SECRET_KEY(envId));
      return undefined;
    }
  }

  /** Whether SecretStorage holds a credential for the environment (never the credential itself). */
  async hasStoredCredential(envId: string): Promise<boolean> {
    return (await this.context.secrets.get(SECRET_KEY(envId))) !== undefined;
  }

  private async storeCredential(envId: string, c: StoredCredential): Promise<void> {
    await this.context.secrets.store(SECRET_KEY(envId), JSON.stringify(c));
  }

  /** Verifies the credential against the server before storing it. Returns the session. */
  async signIn(args: SignInArgs): Promise<Session | undefined> {
    const envId = args.environmentId ?? this.active?.id;
    const env = this.environments.find((e) => e.id === envId);
    if (!env) throw new Error('No environment selected. Run "SOLVEREIGN: Select Environment" first.');
    const site = this.context.globalState.get<{ tenant: string; site: string }>(SITE_KEY(env.id));
    const scoped = site ? { ...env, ...site } : env;
    let credential: StoredCredential;
    if (args.demoRole) {
      if (!env.isLocalSandbox) throw new Error('Demo accounts exist only on the local sandbox.');
      const key = this.demoKey(args.demoRole);
      if (!key)
        throw new Error(
          `No demo credentials found for role ${args.demoRole}; start the local sandbox first.`,
        );
      credential = { kind: 'apiKey', apiKey: key };
    } else if (args.apiKey) {
      globalRedactor.add(args.apiKey);
      credential = { kind: 'apiKey', apiKey: args.apiKey.trim() };
    } else if (args.email && args.password) {
      globalRedactor.add(args.password);
      const anon = this.makeClient(scoped, undefined);
      // Live takes an integer tenant id and refuses a code (422): send one only when the user gave it.
      const r = await anon.login({
        email: args.email,
        password: args.password,
        ...(args.tenantId !== undefined ? { tenant_id: args.tenantId } : {}),
      });
      if (!r.token && !r.cookie) throw new Error('The server accepted the login but returned no session.');
      credential = {
        kind: 'session',
        email: args.email,
        token: r.token,
        cookie: r.cookie,
        expiresAt: r.session.expires_at,
      };
    } else {
      throw new Error('Sign in needs an API key, or an email and password.');
    }
    const client = this.makeClient(scoped, credential);
    let session: Session | undefined;
    if (credential.kind === 'apiKey' && (await this.answersWithoutCredentials(scoped))) {
      // Never validated by a call live refuses (/me takes only its session cookie there).
      this.log.info(`${env.name} checks no API key on its cockpit; the key is kept for what needs one`);
    } else {
      try {
        session = await client.me({ timeoutMs: 8000 });
      } catch (e) {
        if (!(e instanceof SolvereignApiError && e.status === 404)) throw e;
        await client.status(); // a server without /api/auth/me: prove the credential another way
      }
    }
    await this.storeCredential(env.id, credential);
    if (env.isLocalSandbox) await this.context.globalState.update(SIGNED_OUT_KEY, undefined);
    if (this.active?.id !== env.id) await this.context.globalState.update(ACTIVE_ENV_KEY, env.id);
    this.log.info(`signed in to ${env.name}${session ? ` as ${session.email} (${session.role_name})` : ''}`);
    await this.refresh();
    return session;
  }

  async signOut(environmentId?: string): Promise<void> {
    const env = this.environments.find((e) => e.id === (environmentId ?? this.active?.id));
    if (!env) return;
    const credential = await this.readCredential(env.id);
    if (credential?.kind === 'session') {
      try {
        await this.makeClient(env, credential).logout({ timeoutMs: 3000 });
      } catch {
        // Logging out of an unreachable server is still a local sign-out.
      }
    }
    await this.context.secrets.delete(SECRET_KEY(env.id));
    if (env.isLocalSandbox) await this.context.globalState.update(SIGNED_OUT_KEY, true);
    this.log.info(`signed out of ${env.name}`);
    await this.refresh();
  }

  // ---------------------------------------------------------------- local sandbox

  private get sandboxDataDir(): string {
    return path.join(this.context.globalStorageUri.fsPath, 'sandbox');
  }

  demoRoles(): string[] {
    return Object.keys(this.readDemoFile()?.keys ?? {});
  }

  private demoKey(role: string): string | undefined {
    return this.readDemoFile()?.keys?.[role];
  }

  private readDemoFile(): { server?: string; api_key?: string; keys?: Record<string, string> } | undefined {
    const files = [
      this.sandbox?.credentialsFile,
      process.env.SOLVEREIGN_SANDBOX_CREDENTIALS,
      path.join(this.sandboxDataDir, 'credentials.json'),
    ];
    for (const f of files) {
      if (!f) continue;
      try {
        return JSON.parse(readFileSync(f, 'utf8'));
      } catch {
        // next candidate
      }
    }
    return undefined;
  }

  async startLocalSandbox(opts: { reset?: boolean } = {}): Promise<string> {
    if (this.sandboxRunning && this.sandbox) return this.sandbox.url;
    const script = path.join(this.context.extensionPath, 'dist', 'sandbox.js');
    this.log.info('starting the local sandbox…');
    const started = await startSandboxProcess({
      script,
      dataDir: this.sandboxDataDir,
      port: this.config.get('sandbox.port'),
      reset: opts.reset,
      profile: this.config.get('sandbox.profile'),
      onLog: (line) => this.log.debug(`sandbox: ${line}`),
    });
    this.sandbox = started;
    started.child.once('exit', () => {
      // Stopped on purpose (stopLocalSandbox, shutdown): whoever stopped it refreshes, if needed.
      if (this.sandbox !== started) return;
      this.sandbox = undefined;
      void this.refresh();
    });
    this.log.info(`local sandbox listening on ${started.url}`);
    await this.context.globalState.update(ACTIVE_ENV_KEY, LOCAL_SANDBOX_ID);
    // A new user gets a working extension without an account: sign in with the demo role.
    const current = await this.readCredential(LOCAL_SANDBOX_ID);
    const role = this.config.get('sandbox.demoRole');
    if (!current && this.demoKey(role))
      await this.signIn({ environmentId: LOCAL_SANDBOX_ID, demoRole: role });
    else await this.refresh();
    return started.url;
  }

  async stopLocalSandbox(): Promise<void> {
    const s = this.sandbox;
    this.sandbox = undefined;
    if (s) await s.stop();
    await this.refresh();
  }

  /** Stops the local sandbox this window started; resolves when its process has ended. */
  async shutdown(): Promise<void> {
    const s = this.sandbox;
    this.sandbox = undefined;
    await s?.stop();
  }

  dispose(): void {
    void this.shutdown();
    for (const d of this.disposables) d.dispose();
  }
}
