// Small HTTP toolkit for the sandbox: error type, replies, a path router and body validation that
// answers in the contract's error shape.
import type { IncomingMessage } from 'node:http';
import type { Role } from '../shared/runbook';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

export interface Reply {
  status: number;
  body?: unknown;
  /** Raw bytes (zip downloads); `body` is ignored when set. */
  raw?: Buffer;
  contentType?: string;
  headers?: Record<string, string | string[]>;
  /** The handler wrote the response itself (Server-Sent Events). */
  streamed?: boolean;
}

export interface Principal {
  user_id: string;
  email: string;
  role_name: Role;
  tenant_code: string;
  site_code: string | null;
  kind: 'session' | 'api_key';
  token_hash: string;
  expires_at: string | null;
}

export const json = (status: number, body: unknown, headers?: Record<string, string | string[]>): Reply => ({
  status,
  body,
  headers,
});

export function errorReply(e: ApiError): Reply {
  const body: Record<string, unknown> = { error: e.code, message: e.message };
  if (e.details !== undefined) body.details = e.details;
  return { status: e.status, body, headers: e.headers };
}

export const notFound = (message: string) => new ApiError(404, 'not_found', message);
export const forbidden = (message: string, details?: unknown) =>
  new ApiError(403, 'PERMISSION_DENIED', message, details);

export interface FieldError {
  field: string;
  message: string;
}
export function validationError(fields: FieldError[]): ApiError {
  const message = fields.map((f) => `${f.field}: ${f.message}`).join('; ');
  return new ApiError(422, 'validation_error', message || 'Request failed validation', { fields });
}

interface SafeParser<T> {
  safeParse(
    v: unknown,
  ):
    | { success: true; data: T }
    | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } };
}

/** Validates a body with a zod (mini) schema; 422 naming every failing field. */
export function validate<T>(schema: SafeParser<T>, body: unknown): T {
  const r = schema.safeParse(body);
  if (r.success) return r.data;
  throw validationError(
    r.error.issues.map((i) => ({
      field: i.path.length ? i.path.map(String).join('.') : 'body',
      message: i.message,
    })),
  );
}

const MAX_BODY = 2 * 1024 * 1024;

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new ApiError(413, 'validation_error', 'Request body larger than 2 MB');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export function parseJsonBody(raw: Buffer): unknown {
  if (raw.length === 0) return {};
  const text = raw.toString('utf8');
  try {
    return JSON.parse(text);
  } catch (e) {
    throw validationError([{ field: 'body', message: `Malformed JSON: ${(e as Error).message}` }]);
  }
}

export type Scope = 'none' | 'auth' | 'tenant' | 'site';

export interface RouteDef<C> {
  method: string;
  path: string;
  /** none = anonymous; auth = any valid credential; tenant/site = plus scope headers. */
  scope: Scope;
  /** Roles allowed (default: everybody who passes the scope). */
  roles?: readonly Role[];
  handler: (ctx: C) => Reply | Promise<Reply>;
}

export interface CompiledRoute<C> extends RouteDef<C> {
  regex: RegExp;
  keys: string[];
}

export function compile<C>(routes: RouteDef<C>[]): CompiledRoute<C>[] {
  return routes.map((r) => {
    const keys: string[] = [];
    const pattern = r.path
      .split('/')
      .map((part) => {
        if (part.startsWith(':')) {
          keys.push(part.slice(1));
          return '([^/]+)';
        }
        return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      })
      .join('/');
    return { ...r, regex: new RegExp(`^${pattern}/?$`), keys };
  });
}

export function match<C>(
  routes: CompiledRoute<C>[],
  method: string,
  path: string,
): { route: CompiledRoute<C>; params: Record<string, string> } | { methodMismatch: boolean } {
  let methodMismatch = false;
  for (const r of routes) {
    const m = r.regex.exec(path);
    if (!m) continue;
    if (r.method !== method && !(method === 'HEAD' && r.method === 'GET')) {
      methodMismatch = true;
      continue;
    }
    const params: Record<string, string> = {};
    r.keys.forEach((k, i) => {
      try {
        params[k] = decodeURIComponent(m[i + 1]);
      } catch {
        throw new ApiError(400, 'bad_request', `Path segment '${m[i + 1]}' is not valid percent-encoding`);
      }
    });
    return { route: r, params };
  }
  return { methodMismatch };
}
