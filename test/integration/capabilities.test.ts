// Server capabilities detected over HTTP: the sandbox serves every [ops] endpoint and pages with
// offset; live (its captured answers, replayed) serves none, ignores offset, needs no credentials.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ApiKeyAuth } from '../../src/api/auth';
import {
  CapabilityCache,
  describeCapabilities,
  detectCapabilities,
  fallbackText,
  has,
} from '../../src/api/capabilities';
import { SolvereignClient } from '../../src/api/client';
import type { SolvereignApiError } from '../../src/api/errors';
import { type SandboxHandle, startSandbox } from '../../src/sandbox/server';
import { type LiveReplay, startLiveReplay } from './liveReplay';

describe('capabilities', function () {
  this.timeout(60_000);
  let sandbox: SandboxHandle;
  let replay: LiveReplay;
  let dir: string;
  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'sv-caps-'));
    [sandbox, replay] = await Promise.all([
      startSandbox({ dbPath: path.join(dir, 'db.sqlite'), port: 0, reset: true }),
      startLiveReplay(),
    ]);
  });
  after(async () => {
    await Promise.all([sandbox?.close(), replay?.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('the sandbox offers every [ops] endpoint, pages with offset and takes bearer keys', async () => {
    const key = sandbox.demoCredentials.find((d) => d.role === 'dispatcher' && d.tenant_code === 'lts')!;
    const client = new SolvereignClient({
      baseUrl: sandbox.url,
      tenant: 'lts',
      site: 'wien',
      auth: new ApiKeyAuth(key.api_key),
    });
    const caps = await detectCapabilities(client);
    assert.equal(caps.kind, 'ops', JSON.stringify(caps));
    assert.deepEqual(
      Object.entries(caps.offered).filter(([, v]) => !v),
      [],
    );
    assert.equal(caps.auth, 'bearer');
    assert.ok(has(caps, 'killSwitch'));
  });

  it("live's cockpit: no [ops] endpoint, no offset, no credentials needed; the fallbacks are live's own commands", async () => {
    const client = new SolvereignClient({ baseUrl: replay.url, tenant: 'lts', site: 'wien' });
    const caps = await detectCapabilities(client);
    assert.equal(caps.kind, 'live cockpit');
    assert.equal(caps.auth, 'none');
    for (const c of [
      'killSwitch',
      'fireDrills',
      'drift',
      'incidents',
      'sessionRefresh',
      'offsetPaging',
    ] as const)
      assert.equal(has(caps, c), false, c);
    assert.match(describeCapabilities(caps), /live cockpit · kill switch: by CLI on the server · auth: none/);
    assert.match(
      fallbackText('killSwitch'),
      /Instead: python backend_py\/api\/services\/publish_gate\.py kill-switch --activate\|--deactivate --by <user> --reason "<reason>" \(run it on the server\)/,
    );
    assert.match(
      fallbackText('drift'),
      /python -m backend_py\.skills\.kpi_drift check --tenant <tenant> --pack roster/,
    );
  });

  it('a missing [ops] endpoint is an unsupported error naming the capability and the working fallback', async () => {
    const client = new SolvereignClient({ baseUrl: replay.url, tenant: 'lts', site: 'wien' });
    const e = await client.drift().then(
      () => assert.fail('drift answered'),
      (x: unknown) => x as SolvereignApiError,
    );
    assert.equal(e.kind, 'unsupported');
    assert.equal(e.capability, 'drift');
    assert.match(e.message, /not offered by this server/);
    assert.match(e.action ?? '', /kpi_drift check --tenant <tenant> --pack roster \(run it on the server\)/);
    assert.doesNotMatch(e.message, /toggle_publish_lock|--site/);
  });

  it('detects once per environment and again after forget (reconnect)', async () => {
    const client = new SolvereignClient({ baseUrl: replay.url, tenant: 'lts', site: 'wien' });
    const cache = new CapabilityCache();
    const before = replay.requests.length;
    const a = await cache.get(client);
    const probes = replay.requests.length - before;
    assert.ok(probes > 0);
    assert.equal(await cache.get(client), a);
    assert.equal(replay.requests.length - before, probes, 'no second detection');
    cache.forget(client.baseUrl);
    const b = await cache.get(client);
    assert.notEqual(b, a);
    assert.equal(replay.requests.length - before, 2 * probes);
  });
});
