// Evidence packs: the zip of one run (with its SHA-256 in a header) and its per-file checksums.
import type * as S from '../../api/schemas';
import { json, notFound } from '../http';
import { DISPATCHER, type Route, runOf } from './context';

export const evidenceRoutes = (): Route[] => [
  {
    method: 'GET',
    path: `${DISPATCHER}/evidence/:run_id`,
    scope: 'site',
    handler: (ctx) => {
      const run = runOf(ctx);
      const ev = ctx.app.store.evidence(ctx.tenant, ctx.site, run.run_id);
      if (!ev) throw notFound(`No evidence pack for run '${run.run_id}'`);
      return {
        status: 200,
        raw: ev.zip,
        contentType: 'application/zip',
        headers: {
          'X-Evidence-SHA256': ev.sha256,
          'X-Run-ID': run.run_id,
          'Content-Disposition': `attachment; filename="${run.run_id}-evidence.zip"`,
        },
      };
    },
  },
  {
    method: 'GET',
    path: `${DISPATCHER}/evidence/:run_id/checksums`,
    scope: 'site',
    handler: (ctx) => {
      const run = runOf(ctx);
      const ev = ctx.app.store.evidence(ctx.tenant, ctx.site, run.run_id);
      if (!ev) throw notFound(`No evidence pack for run '${run.run_id}'`);
      return json(200, { run_id: run.run_id, checksums: ev.checksums } satisfies S.EvidenceChecksums);
    },
  },
];
