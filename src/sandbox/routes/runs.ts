// The dispatcher cockpit's runs: list (paged, filtered by status), detail, and repair requests.
import * as S from '../../api/schemas';
import { randomCode } from '../crypto';
import { json, validate, validationError } from '../http';
import { detailOf } from '../store';
import { dateStamp } from '../time';
import { audit, DISPATCHER, intParam, type Route, runOf, WRITERS } from './context';

export const runsRoutes = (): Route[] => [
  {
    method: 'GET',
    path: `${DISPATCHER}/runs`,
    scope: 'site',
    handler: (ctx) => {
      const limit = intParam(ctx.query, 'limit', 20, 1, 100);
      const offset = intParam(ctx.query, 'offset', 0, 0, 1_000_000_000);
      const status = ctx.query.get('status') || undefined;
      if (status && !(S.RUN_STATUSES as readonly string[]).includes(status)) {
        throw validationError([{ field: 'status', message: `must be one of ${S.RUN_STATUSES.join(', ')}` }]);
      }
      const { store } = ctx.app;
      const body: S.RunList = {
        runs: store.listRuns(ctx.tenant, ctx.site, status, limit, offset),
        total: store.countRuns(ctx.tenant, ctx.site, status),
      };
      return json(200, body);
    },
  },
  {
    method: 'GET',
    path: `${DISPATCHER}/runs/:run_id`,
    scope: 'site',
    handler: (ctx) => json(200, detailOf(runOf(ctx))),
  },
  {
    method: 'POST',
    path: `${DISPATCHER}/runs/:run_id/repair`,
    scope: 'site',
    roles: WRITERS,
    handler: (ctx) => {
      const body = validate(S.RepairRequest, ctx.body);
      const run = runOf(ctx);
      const now = ctx.app.now();
      const requestId = `REP-${dateStamp(now)}-${randomCode(6)}`;
      ctx.app.store.insertRepair({
        request_id: requestId,
        tenant_code: ctx.tenant,
        site_code: ctx.site,
        run_id: run.run_id,
        status: 'PENDING',
        body,
        created_at: now.toISOString(),
        created_by: ctx.principal!.email,
      });
      audit(ctx, 'REPAIR_REQUESTED', 'repair', body.notes ?? `${body.absence_type} ${body.driver_id}`, {
        run_id: run.run_id,
        repair_id: requestId,
        driver_id: body.driver_id,
        absence_type: body.absence_type,
        affected_tours: body.affected_tours,
        urgency: body.urgency,
      });
      return json(200, {
        request_id: requestId,
        run_id: run.run_id,
        status: 'PENDING',
        message: `Repair queued: ${body.driver_name} (${body.driver_id}) ${body.absence_type}, ${body.affected_tours.length} tour(s), urgency ${body.urgency}`,
      } satisfies S.RepairResponse);
    },
  },
];
