// What this server offers, detected once per environment (and again on reconnect): which [ops]
// endpoints exist, whether `GET /runs` pages with `offset` (and so whether its `total` is the
// site's total), and how it authenticates. Live SOLVEREIGN answers every [ops] endpoint with a bare
// `{"detail": "Not Found"}`; the sandbox serves them all. Also the one table of the manual fallbacks
// that work on live, per missing capability (CONTRACT.md "Live SOLVEREIGN as deployed"), used by
// the client's errors, the CLI and the extension alike. No `vscode` here.
import type { SolvereignClient } from './client';
import { parseErrorBody, SolvereignApiError } from './errors';

export type Capability =
  | 'killSwitch'
  | 'fireDrills'
  | 'drift'
  | 'driftBaseline'
  | 'incidents'
  | 'sessionRefresh'
  | 'solve'
  | 'offsetPaging';

export type AuthStyle = 'none' | 'bearer' | 'session';

export interface Fallback {
  /** What the capability is, for messages: "the kill switch over HTTP". */
  feature: string;
  /** The exact command or place that works on live instead, or undefined when there is none. */
  manual?: string;
  /** Where the manual step runs. */
  where?: 'server' | 'workspace' | 'client';
  /** What a user must know about it (e.g. live's switch is global). */
  note?: string;
}

export const KILL_SWITCH_SCRIPT = 'python backend_py/api/services/publish_gate.py kill-switch';
export const INCIDENTS_FILE = '.claude/state/active-incidents.json';

/** The manual fallback per missing capability: the exact commands that work on live. */
export const FALLBACKS: Readonly<Record<Capability, Fallback>> = {
  killSwitch: {
    feature: 'the kill switch over HTTP',
    manual: `${KILL_SWITCH_SCRIPT} --activate|--deactivate --by <user> --reason "<reason>"`,
    where: 'server',
    note: "live's switch is global: it stops publish/lock on every site of every tenant",
  },
  fireDrills: {
    feature: 'the per-site fire drill (SP-005)',
    note: "live's only kill switch is global, so a per-site drill would freeze every site; not offered on this server",
  },
  drift: {
    feature: 'the KPI drift check (SP-004)',
    manual: 'python -m backend_py.skills.kpi_drift check --tenant <tenant> --pack roster',
    where: 'server',
  },
  driftBaseline: {
    feature: 'baseline updates (SP-004)',
    note: "live's drift detector scores against its own run history; there is no baseline to update over HTTP",
  },
  incidents: {
    feature: 'server incidents',
    manual: `the workspace file ${INCIDENTS_FILE}`,
    where: 'workspace',
  },
  sessionRefresh: { feature: 'session refresh', manual: 'sign in again', where: 'client' },
  solve: {
    feature: 'solving a forecast on the server',
    manual: 'solvereign solve <file> --week <week> --local',
    where: 'client',
  },
  offsetPaging: {
    feature: 'paging runs with offset',
    note: 'runs are read by raising limit (at most 100); older runs are out of reach',
  },
};

/** A shell-safe double-quoted argument. */
function quote(s: string): string {
  return `"${s.replace(/(["\\$`])/g, '\\$1')}"`;
}

/** The live kill-switch command, filled in. */
export function killSwitchCommand(action: 'disable' | 'enable', by: string, reason: string): string {
  return `${KILL_SWITCH_SCRIPT} ${action === 'disable' ? '--activate' : '--deactivate'} --by ${quote(by)} --reason ${quote(reason)}`;
}

/** The live drift command, filled in. */
export function driftCommand(tenant: string): string {
  return `python -m backend_py.skills.kpi_drift check --tenant ${quote(tenant)} --pack roster`;
}

/** One sentence for people: "<feature> is not offered by this server. Instead: <manual> (on the server)". */
export function fallbackText(c: Capability, manual?: string): string {
  const f = FALLBACKS[c];
  const how = manual ?? f.manual;
  return [
    `${f.feature} is not offered by this server.`,
    how ? `Instead: ${how}${f.where === 'server' ? ' (run it on the server)' : ''}.` : '',
    f.note ? `Note: ${f.note}.` : '',
  ]
    .filter(Boolean)
    .join(' ');
}

export interface ServerCapabilities {
  /** Server base URL the answer is for. */
  server: string;
  offered: Readonly<Record<Capability, boolean>>;
  auth: AuthStyle;
  /** "live cockpit" when none of the [ops] endpoints exist, "ops" when all do, else "partial ops". */
  kind: 'live cockpit' | 'ops' | 'partial ops';
  detectedAt: string;
  /** Probes that gave no answer (network, 5xx): their capability is assumed offered. */
  unknown: Capability[];
}

export function has(caps: ServerCapabilities | undefined, c: Capability): boolean {
  // Before detection, assume the contract (every [ops] endpoint); a 404 still degrades per call.
  return caps ? caps.offered[c] : true;
}

/** Short line for the Sites tree and `solvereign status`. */
export function describeCapabilities(caps: ServerCapabilities): string {
  const missing = (Object.keys(caps.offered) as Capability[]).filter((c) => !caps.offered[c]);
  const ks = caps.offered.killSwitch ? 'kill switch: over HTTP' : 'kill switch: by CLI on the server';
  return `${caps.kind} · ${ks} · auth: ${caps.auth}${missing.length ? ` · not offered: ${missing.join(', ')}` : ''}`;
}

type Probe = 'offered' | 'missing' | 'unknown';

/**
 * Asks whether an endpoint exists, without credentials and without reading its answer as data:
 * `missing` is a bare `{"detail": "Not Found"}` (an unknown route), not a 404 about a resource; a
 * 401/403 means the route exists. Goes through the client's axios instance (no auth headers there).
 */
async function ask(client: SolvereignClient, method: 'GET' | 'POST', path: string): Promise<number | Probe> {
  try {
    const res = await client.http.request({
      method,
      url: path,
      headers: {
        'X-Tenant-Code': client.tenant,
        'X-Site-Code': client.site,
        'Content-Type': 'application/json',
      },
      data: method === 'POST' ? '{}' : undefined,
      responseType: 'text',
      transformResponse: [(d: unknown) => d],
    });
    if (res.status === 404) {
      const p = parseErrorBody(res.data);
      if (!p.code && (!p.message || /^not found$/i.test(p.message))) return 'missing';
    }
    return res.status;
  } catch {
    return 'unknown';
  }
}

async function probe(client: SolvereignClient, path: string, method: 'GET' | 'POST' = 'GET'): Promise<Probe> {
  const r = await ask(client, method, path);
  return typeof r === 'number' ? (r >= 500 ? 'unknown' : 'offered') : r;
}

/** Whether `offset` moves the page: two one-run pages compared. undefined when it cannot tell. */
export async function pagesWithOffset(client: SolvereignClient): Promise<boolean | undefined> {
  try {
    const first = await client.listRuns({ limit: 1 });
    if (first.runs.length === 0) return undefined;
    const second = await client.listRuns({ limit: 1, offset: 1 });
    if (second.runs.length === 0) return first.total <= 1 ? undefined : false;
    return second.runs[0]?.run_id !== first.runs[0]?.run_id;
  } catch (e) {
    if (e instanceof SolvereignApiError && (e.status === 400 || e.status === 422)) return false;
    return undefined;
  }
}

async function probeAuth(client: SolvereignClient, refresh: Probe): Promise<AuthStyle> {
  // The cockpit answering without credentials: live's dispatcher routes take none.
  if ((await ask(client, 'GET', '/api/v1/platform/dispatcher/status')) === 200) return 'none';
  return refresh === 'offered' ? 'bearer' : 'session';
}

/** Probes the server (cheap GETs; nothing changes on it). */
export async function detectCapabilities(client: SolvereignClient): Promise<ServerCapabilities> {
  const P = '/api/v1/platform/dispatcher';
  const [fireDrills, drift, incidents, sessionRefresh, offset] = await Promise.all([
    probe(client, `${P}/fire-drills`),
    probe(client, `${P}/drift`),
    probe(client, '/api/v1/platform/incidents'),
    // An empty refresh without credentials: 401 where it exists, a bare 404 where it does not.
    probe(client, '/api/auth/refresh', 'POST'),
    pagesWithOffset(client),
  ]);
  const auth = await probeAuth(client, sessionRefresh);
  const unknown: Capability[] = [];
  const flag = (c: Capability, p: Probe) => {
    if (p === 'unknown') unknown.push(c);
    return p !== 'missing';
  };
  const offered: Record<Capability, boolean> = {
    // Toggling cannot be probed without side effects: the switch belongs to the fire-drill family.
    killSwitch: flag('killSwitch', fireDrills),
    fireDrills: flag('fireDrills', fireDrills),
    drift: flag('drift', drift),
    driftBaseline: flag('driftBaseline', drift),
    incidents: flag('incidents', incidents),
    sessionRefresh: flag('sessionRefresh', sessionRefresh),
    // Live has a solve API of its own at the same path (not this contract's): a call degrades on 404.
    solve: true,
    // Not knowing is not offset: then `total` is not trusted and paging grows `limit`.
    offsetPaging: offset === true,
  };
  const ops = [offered.fireDrills, offered.drift, offered.incidents];
  const kind = ops.every(Boolean) ? 'ops' : ops.some(Boolean) ? 'partial ops' : 'live cockpit';
  return { server: client.baseUrl, offered, auth, kind, detectedAt: new Date().toISOString(), unknown };
}

/** Capabilities per environment, detected once; `forget` on reconnect detects them again. */
export class CapabilityCache {
  private readonly byKey = new Map<string, Promise<ServerCapabilities>>();

  get(client: SolvereignClient, key = client.baseUrl): Promise<ServerCapabilities> {
    let p = this.byKey.get(key);
    if (!p) {
      p = detectCapabilities(client);
      this.byKey.set(key, p);
      p.catch(() => this.byKey.delete(key));
    }
    return p;
  }

  forget(key?: string): void {
    if (key === undefined) this.byKey.clear();
    else this.byKey.delete(key);
  }
}
