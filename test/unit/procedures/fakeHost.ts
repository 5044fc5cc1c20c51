// A ProcedureHost without VS Code for the flow tests: files in memory, notifications and documents
// collected, the roster analysis in-process, and a real client against an in-process sandbox.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ApiKeyAuth } from '../../../src/api/auth';
import { SolvereignClient } from '../../../src/api/client';
import type { Incident } from '../../../src/api/schemas';
import { analysis } from '../../../src/procedures/analysis';
import { inProcessAnalysis } from '../../../src/procedures/analysis/runner';
import { type Contact, DEFAULT_CONTACTS } from '../../../src/incidents/sla';
import type { AlarmSpec, ProcedureEnv, ProcedureHost } from '../../../src/procedures/context';
import {
  type ProcedureDef,
  type ProcedureResult,
  type RunInput,
  runProcedure,
} from '../../../src/procedures/runner';
import { type SandboxHandle, startSandbox } from '../../../src/sandbox/server';
import type { Role } from '../../../src/shared/runbook';

export class FakeHost implements ProcedureHost {
  files = new Map<string, string>();
  docs: string[] = [];
  notes: { level: string; message: string; actions: string[] }[] = [];
  executed: { id: string; args: unknown[] }[] = [];
  workspaceIncidents: Incident[] = [];
  workspaceError?: string;
  alarm?: AlarmSpec;
  alarmHistory: (string | undefined)[] = [];
  logShown = 0;
  /** false = no workspace folder open. */
  workspace = true;
  commands = new Map<string, (...a: unknown[]) => unknown>();

  clipboard: string[] = [];
  async copyToClipboard(text: string) {
    this.clipboard.push(text);
  }
  async readWorkspaceIncidents() {
    return { incidents: [...this.workspaceIncidents], found: this.workspace, error: this.workspaceError };
  }
  async addWorkspaceIncident(i: Incident): Promise<string> {
    if (!this.workspace) throw new Error('no workspace folder is open');
    this.workspaceIncidents.push(i);
    return '/ws/.claude/state/active-incidents.json';
  }
  async commandExists(id: string) {
    return this.commands.has(id);
  }
  async executeCommand(id: string, ...args: unknown[]) {
    this.executed.push({ id, args });
    return this.commands.get(id)?.(...args);
  }
  async openMarkdown(content: string) {
    this.docs.push(content);
  }
  /** Documents saved and opened from the records folder. */
  opened: string[] = [];
  async saveAndOpen(name: string, content: string) {
    const p = await this.saveFile(name, content);
    if (p) this.opened.push(p);
    else this.docs.push(content);
    return p;
  }
  async saveFile(name: string, content: string) {
    if (!this.workspace) return undefined;
    const p = `/ws/.solvereign/records/${name}`;
    this.files.set(p, content);
    return p;
  }
  notify(level: 'info' | 'warn' | 'error', message: string, actions: { title: string }[] = []) {
    this.notes.push({ level, message, actions: actions.map((a) => a.title) });
  }
  contacts(): Contact[] {
    return [...DEFAULT_CONTACTS];
  }
  setAlarm(a: AlarmSpec | undefined) {
    this.alarm = a;
    this.alarmHistory.push(a?.text);
  }
  showLog() {
    this.logShown++;
  }
  analysis() {
    return inProcessAnalysis(analysis);
  }
}

export interface World {
  sb: SandboxHandle;
  host: FakeHost;
  client(role: Role, tenant?: string): SolvereignClient;
  env(role: Role, o?: { tenant?: string; site?: string; client?: SolvereignClient }): ProcedureEnv;
  run<S>(
    def: ProcedureDef<S>,
    role: Role,
    input?: RunInput,
    o?: { client?: SolvereignClient },
  ): Promise<ProcedureResult>;
  fault(f: Record<string, unknown>): Promise<void>;
  stop(): Promise<void>;
}

export async function world(): Promise<World> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sv-proc-'));
  const sb = await startSandbox({
    dbPath: path.join(dir, 'db.sqlite'),
    port: 0,
    faults: true,
    log: () => {},
    // The flows' scenarios (e.g. a coverage week whose input equals the previous week's) are the
    // synthetic seed's; the engine-solved default seed has its own test (seed-engine.test.ts).
    seedEngine: 'synthetic',
  });
  const host = new FakeHost();
  const client = (role: Role, tenant = 'lts') => {
    const c = sb.demoCredentials.find((d) => d.role === role && d.tenant_code === tenant);
    if (!c) throw new Error(`no demo credential ${tenant}/${role}`);
    return new SolvereignClient({
      baseUrl: sb.url,
      tenant,
      site: c.site_code,
      auth: new ApiKeyAuth(c.api_key),
      retries: 0,
      timeoutMs: 30_000,
    });
  };
  const env = (
    role: Role,
    o: { tenant?: string; site?: string; client?: SolvereignClient } = {},
  ): ProcedureEnv => {
    const tenant = o.tenant ?? 'lts';
    const c = sb.demoCredentials.find((d) => d.role === role && d.tenant_code === tenant);
    return {
      client: o.client ?? client(role, tenant),
      who: { email: c?.email, role },
      environment: { name: 'Test sandbox', url: sb.url, tenant, site: o.site ?? c?.site_code },
      host,
      signal: new AbortController().signal,
      now: () => new Date(),
    };
  };
  return {
    sb,
    host,
    client,
    env,
    run: (def, role, input = {}, o = {}) => runProcedure(def, env(role, o), { answers: {}, ...input }),
    fault: async (f) => {
      const r = await fetch(`${sb.url}/__sandbox/faults`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(f),
      });
      if (r.status !== 201) throw new Error(`fault not accepted: ${r.status} ${await r.text()}`);
    },
    stop: async () => {
      await sb.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
