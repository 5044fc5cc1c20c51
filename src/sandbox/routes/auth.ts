// Sign-in, session, sign-out and token refresh: sessions in SQLite, failed sign-ins rate limited
// per account and per address, every sign-in and sign-out audited.
import { APPROVER_ROLES, BASELINE_ROLES, KILL_SWITCH_ROLES, type Role } from '../../shared/runbook';
import { randomBytes } from 'node:crypto';
import * as S from '../../api/schemas';
import { hashPassword, newSessionToken, sha256Hex, verifyPassword } from '../crypto';
import { ApiError, json, type Reply, validate, validationError } from '../http';
import type { Store, UserRow } from '../store';
import { audit, type Ctx, type Route } from './context';

const LOGIN_WINDOW_MS = 15 * 60_000;
const LOGIN_MAX_FAILURES = 5;

function permissionsFor(role: Role): string[] {
  const p = [
    'runs:read',
    'status:read',
    'evidence:read',
    'drift:read',
    'incidents:read',
    'audit:read',
    'fire_drills:read',
  ];
  if (role !== 'ops_readonly') p.push('repair:create', 'incidents:write', 'runs:create');
  if (APPROVER_ROLES.includes(role))
    p.push('runs:publish', 'runs:lock', 'kill_switch:drill', 'fire_drills:write');
  if (KILL_SWITCH_ROLES.emergencyDisable.includes(role)) p.push('kill_switch:emergency');
  if (KILL_SWITCH_ROLES.emergencyEnable.includes(role)) p.push('kill_switch:emergency_enable');
  if (BASELINE_ROLES.includes(role)) p.push('drift:baseline');
  return p;
}

function sessionBody(store: Store, user: UserRow, expiresAt: string | null, token?: string): S.Session {
  const tenant = store.tenant(user.tenant_code);
  const body: S.Session = {
    success: true,
    user_id: user.user_id,
    email: user.email,
    tenant_id: user.tenant_code,
    site_id: user.site_code,
    role_name: user.role_name,
    permissions: permissionsFor(user.role_name as Role),
    expires_at: expiresAt,
    available_tenants: [
      {
        tenant_code: user.tenant_code,
        tenant_name: tenant?.tenant_name ?? user.tenant_code,
        sites: store.sites(user.tenant_code).map((s) => ({ site_code: s.site_code, site_name: s.site_name })),
      },
    ],
    is_platform_admin: user.role_name === 'platform_admin',
  };
  if (token) body.token = token;
  return body;
}

const loginFailure = (status: number, code: string, message: string): Reply =>
  json(status, { detail: { success: false, error_code: code, message } });

function sessionCookie(token: string, maxAgeS: number): string {
  return `sv_platform_session=${encodeURIComponent(token)}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAgeS}`;
}

/** A stored hash of a random password: unknown accounts cost one scrypt like known ones. */
let dummyHash: Promise<string> | undefined;
const dummyPasswordHash = () => {
  dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
  return dummyHash;
};

function tooManySignIns(first: number | null, nowMs: number, whose: string): ApiError {
  const retry = Math.max(1, Math.ceil(((first ?? nowMs) + LOGIN_WINDOW_MS - nowMs) / 1000));
  return new ApiError(
    429,
    'RATE_LIMIT_EXCEEDED',
    `Too many failed sign-ins ${whose} (${LOGIN_MAX_FAILURES} in 15 min); try again in ${retry} s`,
    { retry_after_seconds: retry },
    { 'Retry-After': String(retry) },
  );
}

async function login(ctx: Ctx): Promise<Reply> {
  const { store } = ctx.app;
  const nowMs = ctx.app.now().getTime();
  const body = validate(S.LoginRequest, ctx.body);
  const email = body.email.trim().toLowerCase();
  const since = nowMs - LOGIN_WINDOW_MS;
  const byAccount = store.loginFailuresForEmail(email, since);
  if (byAccount.n >= LOGIN_MAX_FAILURES) throw tooManySignIns(byAccount.first, nowMs, 'for this account');
  const byAddress = store.loginFailures(ctx.ip, since);
  if (byAddress.n >= LOGIN_MAX_FAILURES) throw tooManySignIns(byAddress.first, nowMs, 'from this address');
  // The attempt counts as a failure from here until the password proves right: checked and recorded
  // in one synchronous step, so parallel attempts cannot all pass the check during the slow hash.
  const attempt = store.recordLoginFailure(ctx.ip, email, nowMs);
  const user = store.userByEmail(email);
  const fail = (status: number, code: string, message: string) => {
    store.audit({
      event_type: 'AUTH_FAILED',
      user_email: email,
      action: 'login',
      reason: code,
      tenant_code: user?.tenant_code ?? null,
      created_at: new Date(nowMs).toISOString(),
      request_id: ctx.requestId,
      details: { ip: ctx.ip, error_code: code },
    });
    return loginFailure(status, code, message);
  };
  // Unknown accounts are checked against a dummy hash: same cost, so timing does not tell them apart.
  const passwordOk = await verifyPassword(body.password, user?.password_hash ?? (await dummyPasswordHash()));
  if (!user || !passwordOk) return fail(401, 'INVALID_CREDENTIALS', 'Invalid email or password');
  if (user.status === 'locked')
    return fail(403, 'ACCOUNT_LOCKED', 'This account is locked; contact your admin');
  if (user.status !== 'active') return fail(403, 'ACCOUNT_INACTIVE', 'This account is inactive');
  store.forgetLoginFailure(attempt);
  if (body.tenant_id && body.tenant_id !== user.tenant_code) {
    return loginFailure(403, 'TENANT_MISMATCH', `This account does not belong to tenant '${body.tenant_id}'`);
  }
  const token = newSessionToken();
  const expiresAt = new Date(nowMs + ctx.app.sessionTtlMs).toISOString();
  store.insertSession(
    sha256Hex(token),
    user.user_id,
    user.tenant_code,
    new Date(nowMs).toISOString(),
    expiresAt,
  );
  store.audit({
    event_type: 'LOGIN',
    user_email: user.email,
    role_name: user.role_name,
    action: 'login',
    reason: null,
    tenant_code: user.tenant_code,
    site_code: user.site_code,
    created_at: new Date(nowMs).toISOString(),
    request_id: ctx.requestId,
    details: { ip: ctx.ip, expires_at: expiresAt },
  });
  return json(200, sessionBody(store, user, expiresAt, token), {
    'Set-Cookie': sessionCookie(token, Math.floor(ctx.app.sessionTtlMs / 1000)),
  });
}

/** The sign-in route's path: it awaits scrypt, so it runs outside the write transaction. */
export const LOGIN_PATH = '/api/auth/login';

export function authRoutes(): Route[] {
  void dummyPasswordHash(); // ready before the first sign-in
  return [
    { method: 'POST', path: LOGIN_PATH, scope: 'none', handler: login },
    {
      method: 'GET',
      path: '/api/auth/me',
      scope: 'auth',
      handler: (ctx) => {
        const p = ctx.principal!;
        const user = ctx.app.store.userById(p.user_id)!;
        return json(200, sessionBody(ctx.app.store, user, p.expires_at));
      },
    },
    {
      method: 'POST',
      path: '/api/auth/logout',
      scope: 'auth',
      handler: (ctx) => {
        const p = ctx.principal!;
        if (p.kind === 'session') ctx.app.store.revokeSession(p.token_hash);
        audit(ctx, 'LOGOUT', 'logout', null, { credential: p.kind });
        return json(
          200,
          { success: true, message: 'Signed out' },
          { 'Set-Cookie': 'sv_platform_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0' },
        );
      },
    },
    {
      method: 'POST',
      path: '/api/auth/refresh',
      scope: 'auth',
      handler: (ctx) => {
        const p = ctx.principal!;
        if (p.kind !== 'session') {
          throw validationError([
            { field: 'Authorization', message: 'API keys do not expire; refresh needs a session token' },
          ]);
        }
        const { store } = ctx.app;
        const token = newSessionToken();
        const nowMs = ctx.app.now().getTime();
        const expiresAt = new Date(nowMs + ctx.app.sessionTtlMs).toISOString();
        store.db.transaction(() => {
          store.revokeSession(p.token_hash);
          store.insertSession(
            sha256Hex(token),
            p.user_id,
            p.tenant_code,
            new Date(nowMs).toISOString(),
            expiresAt,
          );
        })();
        return json(200, { token, expires_at: expiresAt } satisfies S.RefreshResponse, {
          'Set-Cookie': sessionCookie(token, Math.floor(ctx.app.sessionTtlMs / 1000)),
        });
      },
    },
  ];
}
