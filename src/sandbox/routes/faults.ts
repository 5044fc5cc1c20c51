// Fault injection for tests (`/__sandbox/*`, only when the server was started with faults on):
// queued error or delay answers per path prefix, and a simulated database outage.
import { json, type Reply, validationError } from '../http';
import type { Ctx, Fault, Route } from './context';

function faultsPost(ctx: Ctx): Reply {
  const b = ctx.body as Record<string, unknown>;
  const fields = [];
  if (!b || typeof b !== 'object') throw validationError([{ field: 'body', message: 'must be an object' }]);
  if (typeof b.path_prefix !== 'string' || !b.path_prefix.startsWith('/')) {
    fields.push({ field: 'path_prefix', message: 'must be a path starting with /' });
  }
  if (b.status !== undefined && (typeof b.status !== 'number' || b.status < 100 || b.status > 599)) {
    fields.push({ field: 'status', message: 'must be an HTTP status' });
  }
  if (b.status === undefined && b.delay_ms === undefined) {
    fields.push({ field: 'status', message: 'status or delay_ms is required' });
  }
  if (b.body !== undefined && typeof b.body !== 'string') {
    fields.push({ field: 'body', message: 'must be a string (sent raw)' });
  }
  if (fields.length) throw validationError(fields);
  const fault: Fault = {
    path_prefix: b.path_prefix as string,
    method: typeof b.method === 'string' ? b.method : undefined,
    status: b.status as number | undefined,
    body: b.body as string | undefined,
    content_type: typeof b.content_type === 'string' ? b.content_type : undefined,
    remaining: typeof b.times === 'number' && b.times > 0 ? Math.floor(b.times) : 1,
    delay_ms: typeof b.delay_ms === 'number' && b.delay_ms > 0 ? Math.min(b.delay_ms, 120_000) : undefined,
  };
  ctx.app.faults.push(fault);
  return json(201, { ok: true, pending: ctx.app.faults.length, fault });
}

export const faultRoutes = (): Route[] => [
  { method: 'POST', path: '/__sandbox/faults', scope: 'none', handler: faultsPost },
  {
    method: 'DELETE',
    path: '/__sandbox/faults',
    scope: 'none',
    handler: (ctx) => {
      const cleared = ctx.app.faults.length;
      ctx.app.faults.length = 0;
      return json(200, { ok: true, cleared });
    },
  },
  {
    method: 'POST',
    path: '/__sandbox/db',
    scope: 'none',
    handler: (ctx) => {
      const b = ctx.body as { connected?: unknown };
      if (typeof b?.connected !== 'boolean')
        throw validationError([{ field: 'connected', message: 'must be a boolean' }]);
      ctx.app.dbConnected = b.connected;
      return json(200, { ok: true, connected: ctx.app.dbConnected });
    },
  },
];
