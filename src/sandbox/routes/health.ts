// Health endpoints: liveness, readiness (follows the simulated database connection) and version.
import { version as PACKAGE_VERSION } from '../../../package.json';
import type * as S from '../../api/schemas';
import { json } from '../http';
import type { Route } from './context';

export const SANDBOX_VERSION = PACKAGE_VERSION;

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
        },
        timestamp: ctx.app.now().toISOString(),
      } satisfies S.Readiness),
  },
  { method: 'GET', path: '/health/live', scope: 'none', handler: () => json(200, { status: 'alive' }) },
];
