// Every endpoint of CONTRACT.md the sandbox serves, with the contract's field names, status codes,
// role rules and audit events: one module per area, put together here.
import type { Reply } from '../http';
import type { SolveQueue } from '../solver';
import { auditRoutes } from './audit';
import { authRoutes, LOGIN_PATH } from './auth';
import type { App, Route } from './context';
import { driftRoutes } from './drift';
import { evidenceRoutes } from './evidence';
import { faultRoutes } from './faults';
import { gatesRoutes } from './gates';
import { healthRoutes } from './health';
import { incidentRoutes } from './incidents';
import { killSwitchRoutes } from './killSwitch';
import { runsRoutes } from './runs';
import { solveRoutes } from './solve';
import { statusRoutes } from './status';

export type { App, Ctx, Fault } from './context';
export { SANDBOX_VERSION } from './health';

/** Every route; the solve routes answer from `queue`. */
export function routes(app: App, queue: SolveQueue): Route[] {
  const list: Route[] = [
    ...healthRoutes(),
    ...authRoutes(),
    ...statusRoutes(),
    ...runsRoutes(),
    ...gatesRoutes(),
    ...evidenceRoutes(),
    ...killSwitchRoutes(),
    ...driftRoutes(),
    ...incidentRoutes(),
    ...auditRoutes(),
  ];

  // Every synchronous write runs in one transaction: its state change and its audit row commit
  // together (and a refused request leaves nothing behind). Login awaits scrypt, so it is left out.
  for (const r of list) {
    if (r.method === 'GET' || r.path === LOGIN_PATH) continue;
    const handler = r.handler;
    r.handler = (ctx) => ctx.app.store.db.transaction(() => handler(ctx) as Reply)();
  }

  if (app.faultsEnabled) list.push(...faultRoutes());
  // The solve routes stay outside the write transaction, as they always were.
  list.push(...solveRoutes(queue));
  return list;
}
