// The SOLVEREIGN sandbox: the embedded default backend. Plain node:http with a small router over a
// SQLite database (better-sqlite3, WAL). Serves every [live] and [ops] endpoint of CONTRACT.md.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import {
  ApiError,
  type CompiledRoute,
  compile,
  errorReply,
  match,
  type Principal,
  parseJsonBody,
  readBody,
  type Reply,
} from './http';
import { type Db, openDatabase } from './db';
import { sha256Hex } from './crypto';
import { routes, type Ctx, type App, type Fault } from './routes';
import { liveProfile } from './profiles/live';
import type { SandboxProfile, SandboxProfileName } from './profiles/profile';
import { readDemoKeys, writeDemoCredentialsFile } from './demoCredentialsFile';
import {
  type DemoCredential,
  type DemoKeys,
  demoCredentials,
  demoKeysMatch,
  installDemoKeys,
  newDemoKeys,
  seed,
} from './seed';
import { sharedSeedCacheFile } from './seed-engine';
import { SolveQueue, type SolverOptions } from './solver';
import { Store } from './store';

export interface SandboxOptions {
  host?: string;
  port?: number;
  /** SQLite file (created with its folder when missing); `:memory:` works for throwaway servers. */
  dbPath: string;
  /** Delete the database and seed it again. */
  reset?: boolean;
  /** Injected clock (tests move time forward to expire tokens). */
  now?: () => Date;
  /** Enables `/__sandbox/*` fault injection. Never on by default. */
  faults?: boolean;
  /** Extra bulk-generated runs on lts/wien when seeding (paging benchmarks). */
  seedRuns?: number;
  /**
   * Who solves lts/wien's seeded history: 'roster' (default; the roster engine on generated
   * Wien-sized weeks, cached in `seedCacheFile`: a few seconds the first time, then instant) or
   * 'synthetic' (hand-written runs, instant).
   */
  seedEngine?: 'synthetic' | 'roster';
  /**
   * Cache of engine-solved seed weeks. Default: seed-cache.json beside the database, backed by a
   * per-user cache in the temp folder that every sandbox on the machine shares (sharedSeedCacheFile).
   * Given explicitly, only this file is used.
   */
  seedCacheFile?: string;
  /** Seed only the newest N weeks per tenant (default: all, 15 for lts). */
  seedWeeks?: number;
  /** Session lifetime (default 8 h). */
  sessionTtlMs?: number;
  /** Asynchronous solves of `POST /api/v1/runs` (worker thread, time limit, SSE heartbeat). */
  solver?: SolverOptions;
  /**
   * Which SOLVEREIGN to imitate: 'default' (our contract) or 'live' (SOLVEREIGN as deployed:
   * profiles/live.ts).
   */
  profile?: SandboxProfileName;
  /** Data folder (the live profile's global kill switch file); default: the database's folder. */
  dataDir?: string;
  /** Requests per user (per client address without a valid credential) per window before 429 (default 3000 per 60 s). */
  rateLimit?: { limit: number; windowMs: number };
  /**
   * Failed credential checks (unknown API key or session token) per client address per window before
   * that address gets 429 for every credential it has not used successfully before (default 20 per 60 s).
   */
  authFailureLimit?: { limit: number; windowMs: number };
  /**
   * Host header names accepted besides the loopback names (127.0.0.1, localhost, ::1) and the bound
   * address; anything else is 400 (a web page reaching the sandbox through DNS rebinding).
   */
  allowedHosts?: string[];
  /**
   * Owner-only file for the plain demo keys (read at restart, rewritten with this server's URL at
   * every start); default `credentials.json` beside a file database, none for ':memory:'.
   */
  credentialsFile?: string;
  log?: (line: string) => void;
}

export interface SandboxHandle {
  url: string;
  port: number;
  host: string;
  db: Db;
  store: Store;
  /** The demo logins with this database's random keys (also in `credentialsFile`). */
  demoCredentials: DemoCredential[];
  credentialsFile: string | undefined;
  profile: SandboxProfileName;
  /** Whether this start created (seeded) the database. */
  seeded: boolean;
  /** Resolves when no solve is queued or running. */
  solverIdle(): Promise<void>;
  /** The solve queue: held solves released, start order (run ids) for fairness checks. */
  solves: { release(): void; startOrder(): readonly string[] };
  close(): Promise<void>;
}

const RATE_DEFAULT = { limit: 3000, windowMs: 60_000 };
const AUTH_FAILURE_DEFAULT = { limit: 20, windowMs: 60_000 };
const LOOPBACK_HOSTS = ['127.0.0.1', 'localhost', '[::1]', '::1'];

/** Per client address: failed credential checks in the current window, and credentials that worked. */
interface AuthFailures {
  count: number;
  reset: number;
  /** sha256 of credentials that authenticated from this address (they keep working while it is throttled). */
  good: Set<string>;
}

/** The server-wide guards of handle(): request budget, failed-credential throttle, Host allow-list. */
interface Guards {
  rate: { limit: number; windowMs: number };
  buckets: Map<string, { count: number; reset: number }>;
  authLimit: { limit: number; windowMs: number };
  authFailures: Map<string, AuthFailures>;
  hosts: Set<string>;
}

export async function startSandbox(options: SandboxOptions): Promise<SandboxHandle> {
  const now = options.now ?? (() => new Date());
  const host = options.host ?? '127.0.0.1';
  const db = openDatabase(options.dbPath === ':memory:' ? ':memory:' : path.resolve(options.dbPath), {
    reset: options.reset,
    now,
  });
  const store = new Store(db);
  const credentialsFile =
    options.credentialsFile ??
    (options.dbPath === ':memory:'
      ? undefined
      : path.join(path.dirname(path.resolve(options.dbPath)), 'credentials.json'));
  let seeded = false;
  let demoKeys: DemoKeys;
  if (store.tenants().length === 0) {
    demoKeys = await seed(store, {
      now,
      seedRuns: options.seedRuns,
      engine: options.seedEngine,
      weeks: options.seedWeeks,
      cacheFile:
        options.seedCacheFile ??
        (options.dbPath === ':memory:'
          ? undefined
          : path.join(path.dirname(path.resolve(options.dbPath)), 'seed-cache.json')),
      sharedCacheFile: options.seedCacheFile ? undefined : sharedSeedCacheFile(),
    });
    seeded = true;
  } else {
    const recorded = credentialsFile ? readDemoKeys(credentialsFile) : undefined;
    if (demoKeysMatch(store, recorded)) demoKeys = recorded;
    else {
      // Lost, edited, or the old derivable kind: new random keys, and the old ones stop working.
      demoKeys = newDemoKeys();
      installDemoKeys(store, demoKeys, now().toISOString());
      options.log?.("sandbox: new demo API keys (the recorded ones were missing or not this database's)");
    }
  }
  const demo = demoCredentials(demoKeys);
  const app: App = {
    store,
    now,
    faultsEnabled: options.faults === true,
    dbConnected: true,
    faults: [],
    sessionTtlMs: options.sessionTtlMs ?? 8 * 3600_000,
    log: options.log ?? (() => {}),
    streams: new Set(),
  };
  // Solves that were running when the previous process stopped will never finish.
  store.interruptPending(now().toISOString());
  const profile = startProfile(app, options);
  const queue = new SolveQueue(app, { sseLineEnd: profile?.sseLineEnd, ...options.solver });
  app.solverIdle = () => queue.idle();
  const table = compile<Ctx>(routes(app, queue));
  const guards: Guards = {
    rate: options.rateLimit ?? RATE_DEFAULT,
    buckets: new Map(),
    authLimit: options.authFailureLimit ?? AUTH_FAILURE_DEFAULT,
    authFailures: new Map(),
    hosts: new Set(
      [...LOOPBACK_HOSTS, host, `[${host}]`, ...(options.allowedHosts ?? [])].map((h) => h.toLowerCase()),
    ),
  };

  const server = createServer((req, res) => {
    handle(app, table, profile, guards, req, res).catch((err) => {
      app.log(`sandbox: unhandled ${(err as Error)?.stack ?? err}`);
      if (!res.headersSent) {
        res.statusCode = 500;
        res.setHeader('Content-Type', 'application/json');
        res.end(JSON.stringify({ error: 'internal_error', message: 'Internal error in the sandbox' }));
      } else res.destroy();
    });
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  const url = `http://${urlHost}:${port}`;
  if (credentialsFile) {
    try {
      writeDemoCredentialsFile(credentialsFile, url, demo);
    } catch (e) {
      // Signing in with a demo key then needs the start-up table; the server itself works.
      options.log?.(`sandbox: could not write ${credentialsFile}: ${(e as Error).message}`);
    }
  }
  let closed = false;
  return {
    url,
    port,
    host,
    db,
    store,
    seeded,
    profile: profile?.name ?? 'default',
    demoCredentials: demo,
    credentialsFile,
    solverIdle: () => queue.idle(),
    solves: { release: () => queue.release(), startOrder: () => queue.startOrder },
    async close() {
      if (closed) return;
      closed = true;
      for (const s of app.streams) s.end();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      app.stopped = true;
      await queue.stop();
      db.close();
    },
  };
}

function startProfile(app: App, options: SandboxOptions): SandboxProfile | undefined {
  if (!options.profile || options.profile === 'default') return undefined;
  const dataDir =
    options.dataDir ??
    (options.dbPath === ':memory:' ? undefined : path.dirname(path.resolve(options.dbPath)));
  if (!dataDir) throw new Error('the live profile needs a data folder (dataDir) for its kill switch file');
  return liveProfile(app, { dataDir });
}

function clientIp(req: IncomingMessage): string {
  return req.socket.remoteAddress ?? 'unknown';
}

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

const REQUEST_ID_OK = /^[A-Za-z0-9._:@-]{1,200}$/;

/** The Host header's name without its port; undefined without a Host header. */
function hostName(req: IncomingMessage): string | undefined {
  const h = headerValue(req, 'host')?.trim().toLowerCase();
  if (h === undefined) return undefined;
  const m = /^(\[[^\]]*\]|[^:]*)(?::\d*)?$/.exec(h);
  return m ? m[1] : h;
}

/** A 400 answered before routing (bad Host, unparseable URL). */
function sendBadRequest(res: ServerResponse, code: string, message: string): void {
  send(res, 'GET', errorReply(new ApiError(400, code, message)));
}

/**
 * Who the request's budget belongs to: the user behind a valid credential (never the credential
 * value itself, so guessing new values gains nothing), else the client address.
 */
function budgetKey(app: App, req: IncomingMessage, ip: string): string {
  const token = presentedToken(req);
  if (token) {
    const hash = sha256Hex(token);
    const userId = app.store.session(hash)?.user_id ?? app.store.userForKey(hash)?.user_id;
    if (userId) return `u:${userId}`;
  }
  return `ip:${ip}`;
}

async function handle(
  app: App,
  table: CompiledRoute<Ctx>[],
  profile: SandboxProfile | undefined,
  guards: Guards,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const { rate, buckets } = guards;
  const incomingId = headerValue(req, 'x-request-id');
  const requestId = incomingId && REQUEST_ID_OK.test(incomingId) ? incomingId : randomUUID();
  res.setHeader('X-Request-ID', requestId);
  // Only loopback names (and configured ones): a page on another origin that rebinds its DNS name to
  // 127.0.0.1 still sends its own name as Host.
  const host = hostName(req);
  if (host !== undefined && !guards.hosts.has(host)) {
    sendBadRequest(res, 'bad_host', `Host '${host}' is not served here; use http://127.0.0.1 or localhost`);
    return;
  }
  let url: URL;
  try {
    url = new URL(req.url ?? '/', 'http://sandbox');
  } catch {
    sendBadRequest(res, 'bad_request', 'The request target is not a valid URL');
    return;
  }
  const method = (req.method ?? 'GET').toUpperCase();
  const pathname = url.pathname;
  const ip = clientIp(req);

  // Rate limit headers on every answer; the budget is per user (or per address without a valid credential).
  const bucketKey = budgetKey(app, req, ip);
  const nowMs = Date.now();
  let bucket = buckets.get(bucketKey);
  if (!bucket || bucket.reset <= nowMs) {
    bucket = { count: 0, reset: nowMs + rate.windowMs };
    buckets.set(bucketKey, bucket);
    if (buckets.size > 10_000) for (const [k, b] of buckets) if (b.reset <= nowMs) buckets.delete(k);
  }
  bucket.count++;
  res.setHeader('x-ratelimit-limit', String(rate.limit));
  res.setHeader('x-ratelimit-remaining', String(Math.max(0, rate.limit - bucket.count)));
  res.setHeader('x-ratelimit-reset', String(Math.ceil(bucket.reset / 1000)));

  const isSandboxControl = pathname.startsWith('/__sandbox/');

  // Injected faults answer before anything else (the client's error-shape tests).
  if (app.faultsEnabled && !isSandboxControl) {
    const fault = takeFault(app.faults, method, pathname);
    if (fault) {
      if (fault.delay_ms) await new Promise((r) => setTimeout(r, fault.delay_ms));
      if (fault.status !== undefined) {
        if (res.destroyed) return;
        res.statusCode = fault.status;
        res.setHeader('Content-Type', fault.content_type ?? 'application/json');
        res.end(fault.body ?? '');
        return;
      }
    }
  }

  const ctx: Ctx = {
    app,
    req,
    res,
    method,
    path: pathname,
    query: url.searchParams,
    params: {},
    requestId,
    ip,
    body: undefined,
    tenant: '',
    site: '',
  };

  const defaultRoute = async (c: Ctx): Promise<Reply> => {
    const found = match(table, method, pathname);
    if (!('route' in found)) {
      throw new ApiError(
        found.methodMismatch ? 405 : 404,
        found.methodMismatch ? 'method_not_allowed' : 'not_found',
        found.methodMismatch
          ? `Method ${method} is not allowed on ${pathname}`
          : `No route for ${method} ${pathname}`,
      );
    }
    c.params = found.params;
    return runRoute(app, found.route, c, guards);
  };

  let reply: Reply;
  try {
    if (isSandboxControl && !app.faultsEnabled)
      throw new ApiError(404, 'not_found', `No route for ${method} ${pathname}`);
    if (bucket.count > rate.limit && !isSandboxControl) {
      throw new ApiError(
        429,
        'RATE_LIMIT_EXCEEDED',
        `Rate limit of ${rate.limit} requests per ${Math.round(rate.windowMs / 1000)} s exceeded`,
        { limit: rate.limit, window_seconds: Math.round(rate.windowMs / 1000) },
        { 'Retry-After': String(Math.max(1, Math.ceil((bucket.reset - nowMs) / 1000))) },
      );
    }
    const byProfile = profile && !isSandboxControl ? await profile.handle(ctx, defaultRoute) : undefined;
    reply = byProfile ?? (await defaultRoute(ctx));
  } catch (err) {
    reply = toErrorReply(app, err);
  }
  if (reply.streamed) return;
  send(res, method, reply);
}

function toErrorReply(app: App, err: unknown): Reply {
  if (err instanceof ApiError) return errorReply(err);
  app.log(`sandbox: internal error: ${(err as Error)?.stack ?? String(err)}`);
  return {
    status: 500,
    body: { error: 'internal_error', message: 'Internal error in the sandbox; see the sandbox log' },
  };
}

function takeFault(faults: Fault[], method: string, pathname: string): Fault | undefined {
  const i = faults.findIndex(
    (f) => pathname.startsWith(f.path_prefix) && (!f.method || f.method.toUpperCase() === method),
  );
  if (i < 0) return undefined;
  const f = faults[i];
  f.remaining--;
  if (f.remaining <= 0) faults.splice(i, 1);
  return f;
}

const PLATFORM_PREFIX = '/api/v1/platform/';
const AUTH_PREFIX = '/api/auth/';
const API_KEY_PATHS = ['/api/v1/runs', '/api/v1/plans'];

function allowsApiKeyHeader(pathname: string): boolean {
  return API_KEY_PATHS.some((p) => pathname === p || pathname.startsWith(`${p}/`));
}

async function runRoute(app: App, route: CompiledRoute<Ctx>, ctx: Ctx, guards: Guards): Promise<Reply> {
  const { req, path: pathname } = ctx;
  // Live SOLVEREIGN refuses API-key headers on the platform routes.
  if (pathname.startsWith(PLATFORM_PREFIX)) {
    const svHeader = Object.keys(req.headers).find((h) => h.startsWith('x-sv-'));
    if (req.headers['x-api-key'] !== undefined || svHeader) {
      throw new ApiError(
        400,
        'auth_method_mismatch',
        `${svHeader ? svHeader : 'X-API-Key'} is not accepted on ${PLATFORM_PREFIX}*; send Authorization: Bearer <token>`,
      );
    }
  }
  const isHealth = pathname === '/health' || pathname.startsWith('/health/');
  if (!app.dbConnected && !isHealth && !pathname.startsWith('/__sandbox/')) {
    throw new ApiError(503, 'ERR_DB_001', 'Database connection failed', { database: 'disconnected' });
  }
  if (route.scope !== 'none') {
    ctx.principal = authenticateThrottled(app, req, pathname, ctx.ip, guards);
    if (route.scope === 'tenant' || route.scope === 'site') scopeCheck(app, ctx, route.scope);
    if (route.roles && !route.roles.includes(ctx.principal.role_name)) {
      throw new ApiError(
        403,
        'PERMISSION_DENIED',
        `Role ${ctx.principal.role_name} may not ${ctx.method} ${pathname} (allowed: ${route.roles.join(', ')})`,
        { role: ctx.principal.role_name, allowed_roles: route.roles },
      );
    }
  }
  // The body is read only once the caller may make this request at all.
  // (A profile may have read and reshaped it already.)
  if (ctx.body === undefined && ['POST', 'PUT', 'PATCH', 'DELETE'].includes(ctx.method)) {
    ctx.body = parseJsonBody(await readBody(req));
  }
  // Idempotent writes: the first answer for a key (per tenant and user) is stored and replayed.
  const idemKey = headerValue(req, 'x-idempotency-key');
  const p = ctx.principal;
  // Sign-in, refresh and sign-out answers carry session tokens: never stored, never replayed.
  const cacheable = !pathname.startsWith(AUTH_PREFIX);
  if (idemKey && idemKey.length > 200)
    throw new ApiError(422, 'validation_error', 'x-idempotency-key: at most 200 characters', {
      fields: [{ field: 'x-idempotency-key', message: 'at most 200 characters' }],
    });
  if (idemKey && p && cacheable && ctx.method !== 'GET' && ctx.method !== 'HEAD') {
    const stored = app.store.idempotent(idemKey, p.tenant_code, p.user_id);
    if (stored && (stored.method !== ctx.method || stored.path !== pathname)) {
      app.store.audit({
        event_type: 'IDEMPOTENCY_CONFLICT',
        user_email: p.email,
        role_name: p.role_name,
        action: `${ctx.method} ${pathname}`,
        reason: `x-idempotency-key first used for ${stored.method} ${stored.path}`,
        tenant_code: p.tenant_code,
        created_at: app.now().toISOString(),
        request_id: ctx.requestId,
        details: { idempotency_key: idemKey },
      });
      throw new ApiError(
        409,
        'IDEMPOTENCY_CONFLICT',
        `x-idempotency-key was already used for ${stored.method} ${stored.path}; use a new key for a new request`,
      );
    }
    if (stored) {
      return {
        status: stored.status,
        raw: stored.body,
        contentType: stored.content_type,
        headers: { ...JSON.parse(stored.headers), 'x-idempotency-replayed': 'true' },
      };
    }
    let reply: Reply;
    try {
      reply = await route.handler(ctx);
    } catch (err) {
      reply = toErrorReply(app, err);
    }
    if (!reply.streamed && reply.status < 500) {
      const { body, contentType } = serialize(reply);
      const keep: Record<string, string | string[]> = {};
      for (const [k, v] of Object.entries(reply.headers ?? {}))
        if (k.toLowerCase() !== 'set-cookie') keep[k] = v;
      app.store.putIdempotent(
        idemKey,
        p.tenant_code,
        p.user_id,
        ctx.method,
        pathname,
        { status: reply.status, content_type: contentType, headers: JSON.stringify(keep), body },
        app.now().toISOString(),
      );
    }
    return reply;
  }
  return route.handler(ctx);
}

function cookieToken(req: IncomingMessage): string | undefined {
  const cookie = headerValue(req, 'cookie');
  if (!cookie) return undefined;
  const m = /(?:^|;\s*)(?:__Host-)?sv_platform_session=([^;]+)/.exec(cookie);
  return m ? decodeURIComponent(m[1]) : undefined;
}

/** The API key or session token a request presents (bearer, X-API-Key or cookie), unchecked. */
function presentedToken(req: IncomingMessage, pathname?: string): string | undefined {
  const authz = headerValue(req, 'authorization');
  if (authz) return /^Bearer\s+(.+)$/i.exec(authz.trim())?.[1].trim();
  const apiKey = headerValue(req, 'x-api-key');
  if (apiKey && (pathname === undefined || allowsApiKeyHeader(pathname))) return apiKey;
  return cookieToken(req);
}

/**
 * authenticate(), with failed checks counted per client address: past the limit, a credential that
 * has not worked from this address before is refused with 429 without being looked up.
 */
function authenticateThrottled(
  app: App,
  req: IncomingMessage,
  pathname: string,
  ip: string,
  guards: Guards,
): Principal {
  const nowMs = Date.now();
  let state = guards.authFailures.get(ip);
  if (!state || state.reset <= nowMs) {
    state = { count: 0, reset: nowMs + guards.authLimit.windowMs, good: state?.good ?? new Set() };
    guards.authFailures.set(ip, state);
    if (guards.authFailures.size > 10_000)
      for (const [k, v] of guards.authFailures)
        if (v.reset <= nowMs && v.count === 0) guards.authFailures.delete(k);
  }
  const token = presentedToken(req, pathname);
  const hash = token ? sha256Hex(token) : undefined;
  if (state.count >= guards.authLimit.limit && !(hash && state.good.has(hash))) {
    const retry = Math.max(1, Math.ceil((state.reset - nowMs) / 1000));
    throw new ApiError(
      429,
      'RATE_LIMIT_EXCEEDED',
      `Too many failed credential checks from this address (${guards.authLimit.limit} in ${Math.round(guards.authLimit.windowMs / 1000)} s); try again in ${retry} s`,
      { retry_after_seconds: retry },
      { 'Retry-After': String(retry) },
    );
  }
  try {
    const principal = authenticate(app, req, pathname);
    if (state.good.size < 1000) state.good.add(principal.token_hash);
    return principal;
  } catch (e) {
    // Only unknown credentials count (an expired or ended session of ours is not a guess).
    if (e instanceof ApiError && e.status === 401 && hash && !app.store.session(hash)) state.count++;
    throw e;
  }
}

export function authenticate(app: App, req: IncomingMessage, pathname: string): Principal {
  const authz = headerValue(req, 'authorization');
  if (authz && !/^Bearer\s+(.+)$/i.test(authz.trim()))
    throw new ApiError(401, 'ERR_AUTH_001', 'Authorization header must be "Bearer <API key or token>"');
  const token = presentedToken(req, pathname);
  if (!token) {
    throw new ApiError(
      401,
      'ERR_AUTH_001',
      'Missing credentials: send Authorization: Bearer <API key or session token>',
    );
  }
  const hash = sha256Hex(token);
  const session = app.store.session(hash);
  if (session) {
    if (session.revoked) throw new ApiError(401, 'ERR_AUTH_001', 'Session ended (logged out); sign in again');
    if (Date.parse(session.expires_at) <= app.now().getTime()) {
      throw new ApiError(401, 'ERR_AUTH_002', 'Session token expired; refresh it or sign in again', {
        expired_at: session.expires_at,
      });
    }
    const user = app.store.userById(session.user_id);
    if (user?.status !== 'active') throw new ApiError(401, 'ERR_AUTH_001', 'Account no longer active');
    return {
      user_id: user.user_id,
      email: user.email,
      role_name: user.role_name as Principal['role_name'],
      tenant_code: session.tenant_code,
      site_code: user.site_code,
      kind: 'session',
      token_hash: hash,
      expires_at: session.expires_at,
    };
  }
  const user = app.store.userForKey(hash);
  if (user?.status !== 'active') throw new ApiError(401, 'ERR_AUTH_001', 'Invalid API key');
  return {
    user_id: user.user_id,
    email: user.email,
    role_name: user.role_name as Principal['role_name'],
    tenant_code: user.tenant_code,
    site_code: user.site_code,
    kind: 'api_key',
    token_hash: hash,
    expires_at: null,
  };
}

function scopeCheck(app: App, ctx: Ctx, scope: 'tenant' | 'site'): void {
  const p = ctx.principal!;
  const tenant = headerValue(ctx.req, 'x-tenant-code')?.trim();
  const site = headerValue(ctx.req, 'x-site-code')?.trim();
  const missing = [];
  if (!tenant) missing.push({ field: 'X-Tenant-Code', message: 'header is required' });
  if (scope === 'site' && !site) missing.push({ field: 'X-Site-Code', message: 'header is required' });
  if (missing.length) {
    throw new ApiError(422, 'validation_error', missing.map((m) => `${m.field}: ${m.message}`).join('; '), {
      fields: missing,
    });
  }
  if (tenant !== p.tenant_code) {
    app.store.audit({
      event_type: 'TENANT_MISMATCH',
      user_email: p.email,
      role_name: p.role_name,
      action: `${ctx.method} ${ctx.path}`,
      reason: `Credential bound to ${p.tenant_code} asked for ${tenant}`,
      tenant_code: p.tenant_code,
      site_code: site ?? null,
      created_at: app.now().toISOString(),
      request_id: ctx.requestId,
      details: { requested_tenant: tenant },
    });
    throw new ApiError(
      403,
      'TENANT_MISMATCH',
      `This credential is bound to tenant '${p.tenant_code}', not '${tenant}'`,
    );
  }
  ctx.tenant = tenant!;
  if (site) {
    if (!app.store.site(tenant!, site))
      throw new ApiError(404, 'not_found', `Site '${site}' not found for tenant '${tenant}'`);
    ctx.site = site;
  }
}

function serialize(reply: Reply): { body: Buffer; contentType: string } {
  if (reply.raw) return { body: reply.raw, contentType: reply.contentType ?? 'application/octet-stream' };
  if (reply.body === undefined)
    return { body: Buffer.alloc(0), contentType: reply.contentType ?? 'application/json' };
  return {
    body: Buffer.from(JSON.stringify(reply.body)),
    contentType: reply.contentType ?? 'application/json; charset=utf-8',
  };
}

function send(res: ServerResponse, method: string, reply: Reply): void {
  if (res.headersSent || res.destroyed) return;
  const { body, contentType } = serialize(reply);
  res.statusCode = reply.status;
  for (const [k, v] of Object.entries(reply.headers ?? {})) res.setHeader(k, v);
  res.setHeader('Content-Type', contentType);
  res.setHeader('Content-Length', String(body.length));
  res.setHeader('Cache-Control', 'no-store');
  res.end(method === 'HEAD' ? undefined : body);
}
