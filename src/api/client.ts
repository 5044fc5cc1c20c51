// The SOLVEREIGN API client: one axios instance per environment, speaking CONTRACT.md to live
// SOLVEREIGN and to the sandbox alike. Every answer is validated against the zod schemas; every
// failure becomes a SolvereignApiError. Imports no `vscode` (the CLI uses it too).
import type { Readable } from 'node:stream';
import axios, { type AxiosInstance, type AxiosRequestConfig, type AxiosResponse, isAxiosError } from 'axios';
import { redact } from '../shared/redact';
import { type Capability, FALLBACKS } from './capabilities';
import { type FieldError, formatIssuePath, parseErrorBody, SolvereignApiError } from './errors';
import type { Reader } from './lenient';
import * as S from './schemas';
import { monotonicMs, randomUuid } from './requestIds';

export interface AuthProvider {
  /** Headers that authenticate a request (Authorization and/or Cookie); empty when signed out. */
  headers(): Promise<Record<string, string>> | Record<string, string>;
  /** Called once on ERR_AUTH_002 (expired token); returns true when new credentials are in place. */
  refresh?(client: SolvereignClient): Promise<boolean>;
  /** Called before each request (except the refresh itself): e.g. refresh a session about to expire. */
  prepare?(client: SolvereignClient): Promise<void>;
}

export interface ClientOptions {
  baseUrl: string;
  tenant: string;
  site: string;
  auth?: AuthProvider;
  /** Per request, ms. Health checks use their own shorter timeout (live's /health/ready can hang 30 s). */
  timeoutMs?: number;
  healthTimeoutMs?: number;
  /** Retries for idempotent requests on 429/503/network errors. */
  retries?: number;
  retryBaseMs?: number;
  /** Longest wait before one retry, whatever the server asks for (default 5 s). */
  maxRetryWaitMs?: number;
  /** Log lines (already redacted): method, path, status, duration, request id; never headers or bodies. */
  log?: (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void;
  userAgent?: string;
}

export interface CallOptions {
  signal?: AbortSignal;
  /** Writes: makes the POST retryable and lets the server replay the first answer. */
  idempotencyKey?: string;
  timeoutMs?: number;
}

interface Endpoint<T> {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  schema?: Reader<T>;
  body?: unknown;
  query?: Record<string, string | number | boolean | undefined>;
  /** Tenant/site headers (all but health and auth). */
  scoped?: boolean;
  /** An [ops] endpoint: a bare 404 means this server lacks it; FALLBACKS says what to do by hand. */
  ops?: Capability;
  responseType?: 'json' | 'arraybuffer' | 'stream';
  timeoutMs?: number;
  /** Skip auth headers (login). */
  anonymous?: boolean;
}

const PLATFORM = '/api/v1/platform/dispatcher';

export class SolvereignClient {
  readonly http: AxiosInstance;
  private readonly options: Required<Omit<ClientOptions, 'auth' | 'log' | 'userAgent'>> &
    Pick<ClientOptions, 'auth' | 'log' | 'userAgent'>;

  constructor(options: ClientOptions) {
    this.options = {
      timeoutMs: 15_000,
      healthTimeoutMs: 5_000,
      retries: 2,
      retryBaseMs: 150,
      maxRetryWaitMs: 5_000,
      ...options,
      baseUrl: options.baseUrl.replace(/\/+$/, ''),
    };
    this.http = axios.create({
      baseURL: this.options.baseUrl,
      timeout: this.options.timeoutMs,
      // Every status is an answer we read ourselves; axios must not throw on 4xx/5xx.
      validateStatus: () => true,
      maxRedirects: 0,
      // Node's http stack; the bundles leave axios' fetch adapter out (see esbuild.mjs).
      adapter: 'http',
      // Never fall back to an environment proxy for a credentialed call.
      proxy: false,
      headers: { Accept: 'application/json', 'User-Agent': options.userAgent ?? 'solvereign-ops' },
      transitional: { clarifyTimeoutError: true },
    });
  }

  get baseUrl(): string {
    return this.options.baseUrl;
  }
  get tenant(): string {
    return this.options.tenant;
  }
  get site(): string {
    return this.options.site;
  }

  /** The same client for another site of the same tenant and credentials. */
  forSite(site: string, tenant = this.options.tenant): SolvereignClient {
    return new SolvereignClient({ ...this.options, site, tenant });
  }

  // ------------------------------------------------------------ health (SP-001)
  health(o?: CallOptions) {
    return this.call(
      { method: 'GET', path: '/health', schema: S.Health, timeoutMs: this.options.healthTimeoutMs },
      o,
    );
  }
  ready(o?: CallOptions) {
    return this.call(
      { method: 'GET', path: '/health/ready', schema: S.Readiness, timeoutMs: this.options.healthTimeoutMs },
      o,
    );
  }
  live(o?: CallOptions) {
    return this.call(
      { method: 'GET', path: '/health/live', schema: S.Liveness, timeoutMs: this.options.healthTimeoutMs },
      o,
    );
  }

  // ------------------------------------------------------------ auth
  /** Returns the session and the session credential (body token [ops] or the live cookie). */
  async login(
    body: S.LoginRequest,
    o?: CallOptions,
  ): Promise<{ session: S.Session; token?: string; cookie?: string }> {
    const res = await this.request<S.Session>(
      { method: 'POST', path: '/api/auth/login', schema: S.Session, body, anonymous: true },
      o,
    );
    const cookie = sessionCookie(res.headers['set-cookie']);
    return { session: res.data, token: res.data.token, cookie };
  }
  me(o?: CallOptions) {
    return this.call({ method: 'GET', path: '/api/auth/me', schema: S.Session }, o);
  }
  async logout(o?: CallOptions): Promise<void> {
    await this.call({ method: 'POST', path: '/api/auth/logout' }, o);
  }
  refreshSession(o?: CallOptions) {
    return this.call(
      {
        method: 'POST',
        path: '/api/auth/refresh',
        schema: S.RefreshResponse,
        ops: 'sessionRefresh',
      },
      o,
    );
  }

  // ------------------------------------------------------------ dispatcher cockpit
  status(o?: CallOptions) {
    return this.call({ method: 'GET', path: `${PLATFORM}/status`, schema: S.SystemStatus, scoped: true }, o);
  }
  listRuns(q: { limit?: number; status?: S.RunStatus; offset?: number } = {}, o?: CallOptions) {
    return this.call(
      {
        method: 'GET',
        path: `${PLATFORM}/runs`,
        schema: S.RunList,
        scoped: true,
        query: { limit: q.limit ?? 20, status: q.status, offset: q.offset || undefined },
      },
      o,
    );
  }
  getRun(runId: string, o?: CallOptions) {
    return this.call(
      { method: 'GET', path: `${PLATFORM}/runs/${seg(runId)}`, schema: S.RunDetail, scoped: true },
      o,
    );
  }
  publish(runId: string, body: S.PublishRequest, o?: CallOptions) {
    return this.call(
      {
        method: 'POST',
        path: `${PLATFORM}/runs/${seg(runId)}/publish`,
        schema: S.PublishLockResponse,
        body,
        scoped: true,
      },
      withKey(o),
    );
  }
  lock(runId: string, body: S.LockRequest, o?: CallOptions) {
    return this.call(
      {
        method: 'POST',
        path: `${PLATFORM}/runs/${seg(runId)}/lock`,
        schema: S.PublishLockResponse,
        body,
        scoped: true,
      },
      withKey(o),
    );
  }
  repair(runId: string, body: S.RepairRequest, o?: CallOptions) {
    return this.call(
      {
        method: 'POST',
        path: `${PLATFORM}/runs/${seg(runId)}/repair`,
        schema: S.RepairResponse,
        body,
        scoped: true,
      },
      withKey(o),
    );
  }
  /** The evidence pack (zip) with the server's checksum header. */
  async evidence(runId: string, o?: CallOptions): Promise<{ zip: Buffer; sha256?: string; runId?: string }> {
    const res = await this.request<ArrayBuffer>(
      {
        method: 'GET',
        path: `${PLATFORM}/evidence/${seg(runId)}`,
        scoped: true,
        responseType: 'arraybuffer',
      },
      o,
    );
    return {
      zip: Buffer.from(res.data),
      sha256: header(res, 'x-evidence-sha256'),
      runId: header(res, 'x-run-id'),
    };
  }
  evidenceChecksums(runId: string, o?: CallOptions) {
    return this.call(
      {
        method: 'GET',
        path: `${PLATFORM}/evidence/${seg(runId)}/checksums`,
        schema: S.EvidenceChecksums,
        scoped: true,
      },
      o,
    );
  }

  // ------------------------------------------------------------ kill switch, fire drills [ops]
  killSwitch(body: S.KillSwitchRequest, o?: CallOptions) {
    return this.call(
      {
        method: 'POST',
        path: `${PLATFORM}/kill-switch`,
        schema: S.SystemStatus,
        body,
        scoped: true,
        ops: 'killSwitch',
      },
      withKey(o),
    );
  }
  fireDrills(o?: CallOptions) {
    return this.call(
      {
        method: 'GET',
        path: `${PLATFORM}/fire-drills`,
        schema: S.FireDrillList,
        scoped: true,
        ops: 'fireDrills',
      },
      o,
    );
  }
  recordFireDrill(body: S.FireDrillCreate, o?: CallOptions) {
    return this.call(
      {
        method: 'POST',
        path: `${PLATFORM}/fire-drills`,
        schema: S.FireDrill,
        body,
        scoped: true,
        ops: 'fireDrills',
      },
      withKey(o),
    );
  }

  // ------------------------------------------------------------ drift [ops]
  drift(runId?: string, o?: CallOptions) {
    return this.call(
      {
        method: 'GET',
        path: `${PLATFORM}/drift`,
        schema: S.DriftReport,
        scoped: true,
        query: { run_id: runId },
        ops: 'drift',
      },
      o,
    );
  }
  updateBaseline(body: S.BaselineUpdate, o?: CallOptions) {
    return this.call(
      {
        method: 'PUT',
        path: `${PLATFORM}/drift/baseline`,
        schema: S.DriftReport,
        body,
        scoped: true,
        ops: 'driftBaseline',
      },
      withKey(o),
    );
  }

  // ------------------------------------------------------------ incidents [ops], escalations [live]
  incidents(o?: CallOptions) {
    return this.call(
      {
        method: 'GET',
        path: '/api/v1/platform/incidents',
        schema: S.IncidentList,
        scoped: true,
        ops: 'incidents',
      },
      o,
    );
  }
  createIncident(body: S.IncidentCreate, o?: CallOptions) {
    return this.call(
      {
        method: 'POST',
        path: '/api/v1/platform/incidents',
        schema: S.Incident,
        body,
        scoped: true,
        ops: 'incidents',
      },
      withKey(o),
    );
  }
  patchIncident(id: string, body: S.IncidentPatch, o?: CallOptions) {
    return this.call(
      {
        method: 'PATCH',
        path: `/api/v1/platform/incidents/${seg(id)}`,
        schema: S.Incident,
        body,
        scoped: true,
        ops: 'incidents',
      },
      withKey(o),
    );
  }
  tenantStatus(o?: CallOptions) {
    return this.call(
      { method: 'GET', path: '/api/v1/tenant/status', schema: S.TenantStatus, scoped: true },
      o,
    );
  }

  // ------------------------------------------------------------ audit trail [live]
  audit(q: S.AuditQuery = {}, o?: CallOptions) {
    return this.call(
      { method: 'GET', path: '/api/v1/audit', schema: S.AuditList, scoped: true, query: q },
      o,
    );
  }
  auditEntry(id: string | number, o?: CallOptions) {
    return this.call(
      { method: 'GET', path: `/api/v1/audit/${seg(String(id))}`, schema: S.AuditEntryDetail, scoped: true },
      o,
    );
  }

  // ------------------------------------------------------------ solving [ops]
  createRun(body: S.CreateRunRequest, o?: CallOptions) {
    return this.call(
      {
        method: 'POST',
        path: '/api/v1/runs',
        schema: S.CreateRunResponse,
        body,
        scoped: true,
        ops: 'solve',
      },
      withKey(o),
    );
  }
  solveRun(runId: string, o?: CallOptions) {
    return this.call(
      { method: 'GET', path: `/api/v1/runs/${seg(runId)}`, schema: S.RunDetail, scoped: true },
      o,
    );
  }
  /**
   * The raw Server-Sent Events stream of a solve. Read it with `streamRun` (sse.ts), which frames
   * and validates the events; kept apart so the SSE parser stays out of the activation bundle.
   */
  async openRunStream(runId: string, o?: CallOptions): Promise<Readable> {
    const endpoint: Endpoint<Readable> = {
      method: 'GET',
      path: `/api/v1/runs/${seg(runId)}/stream`,
      scoped: true,
      responseType: 'stream',
      timeoutMs: 0,
    };
    return (await this.request<Readable>(endpoint, o)).data;
  }

  // ------------------------------------------------------------ transport
  /** Performs the call and returns the validated body. */
  async call<T>(endpoint: Endpoint<T>, o?: CallOptions): Promise<T> {
    return (await this.request(endpoint, o)).data;
  }

  private async request<T>(endpoint: Endpoint<T>, o: CallOptions = {}): Promise<AxiosResponse<T>> {
    const label = `${endpoint.method} ${endpoint.path}`;
    const retryable = endpoint.method === 'GET' || o.idempotencyKey !== undefined;
    let refreshed = false;
    for (let attempt = 0; ; attempt++) {
      const requestId = randomUuid();
      const started = monotonicMs();
      let res: AxiosResponse;
      try {
        res = await this.http.request(await this.config(endpoint, o, requestId));
      } catch (err) {
        const error = transportError(err, label);
        this.log('warn', `${label} -> ${error.kind} after ${ms(started)} ms (request ${requestId})`);
        if (error.kind === 'network' && retryable && attempt < this.options.retries && !o.signal?.aborted) {
          await sleep(this.backoff(attempt), o.signal);
          continue;
        }
        throw error;
      }
      const rid = header(res, 'x-request-id') ?? requestId;
      this.log(
        res.status >= 400 ? 'warn' : 'debug',
        `${label} -> ${res.status} in ${ms(started)} ms (request ${rid})`,
      );
      if (res.status >= 200 && res.status < 300) {
        if (
          endpoint.schema &&
          endpoint.responseType !== 'stream' &&
          endpoint.responseType !== 'arraybuffer'
        ) {
          res.data = this.validate(endpoint.schema, res.data, endpoint, rid);
        }
        return res as AxiosResponse<T>;
      }
      const body = endpoint.responseType === 'stream' ? await readStream(res.data) : decodeBody(res.data);
      const parsed = parseErrorBody(body);
      if (endpoint.ops && res.status === 404 && isBareNotFound(parsed)) {
        const f = FALLBACKS[endpoint.ops];
        throw new SolvereignApiError({
          kind: 'unsupported',
          endpoint: label,
          status: 404,
          serverMessage: `${f.feature} is an [ops] endpoint`,
          fallback: fallbackAction(endpoint.ops),
          capability: endpoint.ops,
          requestId: rid,
        });
      }
      const retryAfter = retryAfterSeconds(res, res.status === 429);
      const error = new SolvereignApiError({
        kind: 'http',
        endpoint: label,
        status: res.status,
        serverCode: parsed.code,
        serverMessage: parsed.message,
        fieldErrors: parsed.fieldErrors,
        requestId: rid,
        retryAfterSeconds: retryAfter,
      });
      const canRefresh = !endpoint.anonymous && endpoint.path !== '/api/auth/refresh';
      if (error.runbookCode === 'ERR_AUTH_002' && !refreshed && canRefresh && this.options.auth?.refresh) {
        refreshed = true;
        if (await this.options.auth.refresh(this)) {
          attempt--;
          continue;
        }
      }
      if ((res.status === 429 || res.status === 503) && retryable && attempt < this.options.retries) {
        await sleep(
          Math.min(
            retryAfter !== undefined ? retryAfter * 1000 : this.backoff(attempt),
            this.options.maxRetryWaitMs,
          ),
          o.signal,
        );
        continue;
      }
      throw error;
    }
  }

  private async config(
    endpoint: Endpoint<unknown>,
    o: CallOptions,
    requestId: string,
  ): Promise<AxiosRequestConfig> {
    const headers: Record<string, string> = { 'X-Request-ID': requestId };
    if (endpoint.scoped) {
      headers['X-Tenant-Code'] = this.options.tenant;
      headers['X-Site-Code'] = this.options.site;
    }
    if (!endpoint.anonymous && this.options.auth) {
      if (endpoint.path !== '/api/auth/refresh') await this.options.auth.prepare?.(this);
      Object.assign(headers, await this.options.auth.headers());
    }
    if (o.idempotencyKey) headers['x-idempotency-key'] = o.idempotencyKey;
    if (endpoint.body !== undefined) headers['Content-Type'] = 'application/json';
    return {
      method: endpoint.method,
      url: endpoint.path,
      params: endpoint.query ? stripUndefined(endpoint.query) : undefined,
      data: endpoint.body === undefined ? undefined : JSON.stringify(endpoint.body),
      headers,
      signal: o.signal,
      timeout: o.timeoutMs ?? endpoint.timeoutMs ?? this.options.timeoutMs,
      responseType: endpoint.responseType ?? 'json',
      // Bodies are parsed by us so a plain-text or broken answer is an error, not a crash.
      transformResponse: endpoint.responseType && endpoint.responseType !== 'json' ? undefined : [(d) => d],
    };
  }

  private validate<T>(schema: Reader<T>, raw: unknown, endpoint: Endpoint<unknown>, requestId?: string): T {
    const label = `${endpoint.method} ${endpoint.path}`;
    let data = raw;
    if (typeof raw === 'string') {
      if (raw === '' && !endpoint.schema) return undefined as T;
      try {
        data = JSON.parse(raw);
      } catch {
        throw new SolvereignApiError({
          kind: 'schema',
          endpoint: label,
          serverMessage: `not JSON: ${JSON.stringify(raw.slice(0, 80))}`,
          requestId,
        });
      }
    }
    const result = schema.safeParse(data);
    if (result.success) return result.data;
    const fieldErrors: FieldError[] = result.error.issues.map((i) => ({
      field: formatIssuePath(i.path),
      message: i.message,
    }));
    const first = fieldErrors
      .slice(0, 3)
      .map((f) => `field ${f.field}: ${f.message}`)
      .join('; ');
    throw new SolvereignApiError({
      kind: 'schema',
      endpoint: label,
      serverMessage: first,
      fieldErrors,
      requestId,
    });
  }

  private backoff(attempt: number): number {
    const base = this.options.retryBaseMs * 2 ** attempt;
    return base + Math.floor(Math.random() * base * 0.25);
  }

  private log(level: 'debug' | 'info' | 'warn' | 'error', message: string): void {
    this.options.log?.(level, redact(message));
  }
}

/** Turns what axios throws (no answer at all) into our error, dropping axios' config and headers. */
function transportError(err: unknown, endpoint: string): SolvereignApiError {
  if (axios.isCancel(err) || (err instanceof Error && err.name === 'CanceledError')) {
    return new SolvereignApiError({ kind: 'cancelled', endpoint });
  }
  if (isAxiosError(err)) {
    if (err.code === 'ETIMEDOUT' || err.code === 'ECONNABORTED') {
      return new SolvereignApiError({ kind: 'timeout', endpoint, serverMessage: err.message });
    }
    const code = err.code ?? (err.cause as NodeJS.ErrnoException | undefined)?.code;
    return new SolvereignApiError({ kind: 'network', endpoint, serverMessage: code ?? err.message });
  }
  return new SolvereignApiError({
    kind: 'network',
    endpoint,
    serverMessage: err instanceof Error ? err.message : String(err),
  });
}

function isBareNotFound(parsed: { code?: string; message?: string }): boolean {
  // FastAPI's default for an unknown route: {"detail": "Not Found"}; the sandbox's own 404s carry a code.
  return !parsed.code && (!parsed.message || /^not found$/i.test(parsed.message));
}

function decodeBody(data: unknown): unknown {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data;
}

async function readStream(stream: Readable): Promise<string> {
  let text = '';
  for await (const chunk of stream) {
    text += chunk.toString();
    if (text.length > 64_000) break;
  }
  return text;
}

function header(res: AxiosResponse, name: string): string | undefined {
  const v = res.headers[name];
  return typeof v === 'string' ? v : Array.isArray(v) ? v[0] : undefined;
}

function retryAfterSeconds(res: AxiosResponse, rateLimited: boolean): number | undefined {
  const ra = header(res, 'retry-after');
  if (ra && /^\d+$/.test(ra)) return Number(ra);
  // The rate-limit window's reset says when to retry a 429 only; a 503 backs off by itself.
  if (!rateLimited) return undefined;
  const reset = header(res, 'x-ratelimit-reset');
  if (reset && /^\d+$/.test(reset)) {
    const n = Number(reset);
    // Either seconds from now or an epoch timestamp.
    return n > 1e9 ? Math.max(0, n - Math.floor(Date.now() / 1000)) : n;
  }
  return undefined;
}

function sessionCookie(setCookie: string[] | string | undefined): string | undefined {
  const list = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
  for (const c of list) {
    const m = /^((?:__Host-)?sv_platform_session)=([^;]+)/.exec(c);
    if (m) return `${m[1]}=${m[2]}`;
  }
  return undefined;
}

function stripUndefined(q: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(q).filter(([, v]) => v !== undefined && v !== ''));
}

function seg(s: string): string {
  return encodeURIComponent(s);
}

function withKey(o: CallOptions = {}): CallOptions {
  return { idempotencyKey: randomUuid(), ...o };
}

function ms(started: number): number {
  return Math.round(monotonicMs() - started);
}

function sleep(msDelay: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, msDelay);
    signal?.addEventListener('abort', () => {
      clearTimeout(t);
      resolve();
    });
  });
}

/** The error's action for a missing capability: the manual fallback that works on live, or why there is none. */
export function fallbackAction(c: Capability): string {
  const f = FALLBACKS[c];
  const parts: string[] = [];
  if (f.manual) parts.push(`Instead: ${f.manual}${f.where === 'server' ? ' (run it on the server)' : ''}`);
  if (f.note) parts.push(f.note);
  return parts.join('. ') || 'Not available on this server';
}
