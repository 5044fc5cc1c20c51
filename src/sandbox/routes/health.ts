// Health endpoints: liveness, readiness (follows the simulated database connection) and version.
import { version as PACKAGE_VERSION } from '../../../package.json';
import type * as S from '../../api/schemas';
import { verifyAuditChain } from '../auditChain';
import type { Db } from '../db';
import { json } from '../http';
import type { Route } from './context';

export const SANDBOX_VERSION = PACKAGE_VERSION;

function auditChainCheck(db: Db): string {
  const r = verifyAuditChain(db);
  return r.ok ? 'healthy' : `unhealthy: audit trail broken at row ${r.brokenId} (${r.reason})`;
}

export const healthRoutes = (): Route[] => [
  {
    method: 'GET',
    path: '/health',
    scope: 'none',
    handler: (ctx) =>
      json(200, {
        status: 'healthy',
        version: SANDBOX_VERSION,
        timestamp: ctx.app.now().toISOString(),
        environment: 'sandbox',
        db: ctx.app.dbConnected ? 'connected' : 'disconnected',
        redis: 'not_configured',
      } satisfies S.Health),
  },
  {
    method: 'GET',
    path: '/health/ready',
    scope: 'none',
    handler: (ctx) =>
      json(200, {
        status: ctx.app.dbConnected ? 'ready' : 'not_ready',
        checks: {
          database: ctx.app.dbConnected ? 'healthy' : 'unhealthy: connection refused (sandbox fault)',
          redis: 'not_configured',
          // SP-001 reads this: the whole hash chain, naming the first broken row.
          ...(ctx.app.dbConnected ? { audit_chain: auditChainCheck(ctx.app.store.db) } : {}),
        },
        timestamp: ctx.app.now().toISOString(),
      } satisfies S.Readiness),
  },
  { method: 'GET', path: '/health/live', scope: 'none', handler: () => json(200, { status: 'alive' }) },
];
