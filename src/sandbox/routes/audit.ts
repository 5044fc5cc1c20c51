// The audit trail: paged, filtered list and one entry with its details.
import type * as S from '../../api/schemas';
import { json, notFound } from '../http';
import { intParam, type Route } from './context';

function auditEntryOf(row: {
  id: number;
  event_type: string;
  user_email: string | null;
  tenant_code: string | null;
  site_code: string | null;
  created_at: string;
  details: string | null;
  role_name: string | null;
  action: string | null;
  reason: string | null;
  request_id: string | null;
}): S.AuditEntry {
  return {
    id: row.id,
    event_type: row.event_type,
    user_email: row.user_email,
    tenant_id: row.tenant_code,
    site_id: row.site_code,
    created_at: row.created_at,
    has_details: true,
  };
}

export const auditRoutes = (): Route[] => [
  {
    method: 'GET',
    path: '/api/v1/audit',
    scope: 'tenant',
    handler: (ctx) => {
      const q = ctx.query;
      const limit = intParam(q, 'limit', 50, 1, 200);
      const offset = intParam(q, 'offset', 0, 0, 1_000_000_000);
      const { rows, total } = ctx.app.store.auditList(
        {
          tenant_code: ctx.tenant,
          event_type: q.get('event_type') || undefined,
          user_email: q.get('user_email') || undefined,
          from_date: q.get('from_date') || undefined,
          to_date: q.get('to_date') || undefined,
        },
        limit,
        offset,
      );
      return json(200, { success: true, entries: rows.map(auditEntryOf), total } satisfies S.AuditList);
    },
  },
  {
    method: 'GET',
    path: '/api/v1/audit/:id',
    scope: 'tenant',
    handler: (ctx) => {
      const id = /^\d+$/.test(ctx.params.id) ? Number(ctx.params.id) : Number.NaN;
      const row = Number.isSafeInteger(id) ? ctx.app.store.auditEntry(id, ctx.tenant) : undefined;
      if (!row) throw notFound(`Audit entry '${ctx.params.id}' not found`);
      const details = {
        ...(row.details ? (JSON.parse(row.details) as Record<string, unknown>) : {}),
        role_name: row.role_name,
        action: row.action,
        reason: row.reason,
        request_id: row.request_id,
      };
      return json(200, {
        ...auditEntryOf(row),
        role_name: row.role_name,
        action: row.action,
        reason: row.reason,
        request_id: row.request_id,
        details,
      });
    },
  },
];
