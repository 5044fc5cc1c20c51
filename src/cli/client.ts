// The API client for the network commands, built on first use from the context's server, tenant,
// site and credentials (only commands that talk to a server load this module and the client).
import { ApiKeyAuth } from '../api/auth';
import { SolvereignClient } from '../api/client';
import { CLI_VERSION, type CliContext } from './context';
import { resolveCredentials } from './credentials';

const clients = new WeakMap<CliContext, SolvereignClient>();

export function clientOf(ctx: CliContext): SolvereignClient {
  let client = clients.get(ctx);
  if (!client) {
    const creds = resolveCredentials({ server: ctx.g.server, role: ctx.v.role, file: ctx.g.credentials });
    client = new SolvereignClient({
      baseUrl: ctx.g.server,
      tenant: ctx.g.tenant,
      site: ctx.g.site,
      auth: creds ? new ApiKeyAuth(creds.apiKey) : undefined,
      timeoutMs: ctx.g.timeout,
      userAgent: `solvereign-cli/${CLI_VERSION}`,
    });
    clients.set(ctx, client);
  }
  return client;
}
