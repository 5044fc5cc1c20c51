// Shared helpers for the sandbox integration tests: a sandbox on port 0 with a temp database, and a
// small fetch wrapper that sends the scope headers and credentials.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import incidentSchema from './schemas/incident.schema.json';
import manifestSchema from './schemas/run-manifest.schema.json';
import { type SandboxHandle, type SandboxOptions, startSandbox } from '../../../src/sandbox/server';
import type { Role } from '../../../src/shared/runbook';

export interface TestSandbox extends SandboxHandle {
  dir: string;
  dbPath: string;
  /** Moves the injected clock forward. */
  advance(ms: number): void;
  key(role: Role, tenant?: string): string;
  stop(): Promise<void>;
}

export async function sandbox(opts: Partial<SandboxOptions> = {}): Promise<TestSandbox> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sv-sandbox-'));
  const dbPath = opts.dbPath ?? path.join(dir, 'solvereign.db');
  let offset = 0;
  const sb = await startSandbox({
    dbPath,
    port: 0,
    now: () => new Date(Date.now() + offset),
    ...opts,
  });
  return Object.assign(sb, {
    dir,
    dbPath,
    advance(ms: number) {
      offset += ms;
    },
    key(role: Role, tenant = 'lts') {
      const c = sb.demoCredentials.find((d) => d.role === role && d.tenant_code === tenant);
      if (!c) throw new Error(`no demo credential for ${tenant}/${role}`);
      return c.api_key;
    },
    async stop() {
      await sb.close();
      rmSync(dir, { recursive: true, force: true });
    },
  });
}

export interface CallOptions {
  /** API key or session token; `null` = no Authorization header. */
  auth?: string | null;
  tenant?: string | null;
  site?: string | null;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
}

export interface CallResult {
  status: number;
  headers: Headers;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: test bodies are inspected freely
  json: any;
  bytes: Buffer;
}

export async function call(
  sb: { url: string },
  method: string,
  urlPath: string,
  o: CallOptions = {},
): Promise<CallResult> {
  const headers: Record<string, string> = { ...o.headers };
  if (o.auth) headers.Authorization = `Bearer ${o.auth}`;
  if (o.tenant !== null) headers['X-Tenant-Code'] = o.tenant ?? 'lts';
  if (o.site !== null) headers['X-Site-Code'] = o.site ?? (o.tenant === 'gurkerl' ? 'graz' : 'wien');
  let body: string | undefined;
  if (o.rawBody !== undefined) body = o.rawBody;
  else if (o.body !== undefined) body = JSON.stringify(o.body);
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(sb.url + urlPath, { method, headers, body });
  const bytes = Buffer.from(await res.arrayBuffer());
  const text = bytes.toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json, bytes };
}

export const P = '/api/v1/platform/dispatcher';

export async function login(sb: { url: string }, email: string, password = 'solvereign-demo') {
  const r = await call(sb, 'POST', '/api/auth/login', {
    tenant: null,
    site: null,
    body: { email, password },
  });
  return r;
}

const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
export const validateIncident = ajv.compile(incidentSchema);
export const validateManifest = ajv.compile(manifestSchema);

/** The seeded runs of lts/wien, newest first. */
export async function wienRuns(sb: { url: string }, auth: string) {
  const r = await call(sb, 'GET', `${P}/runs?limit=100`, { auth });
  // biome-ignore lint/suspicious/noExplicitAny: test helper
  return r.json.runs as any[];
}
