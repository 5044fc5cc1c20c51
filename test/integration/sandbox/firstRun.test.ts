// A new user's first look at a fresh sandbox: the seeded incidents are dated relative to now and
// none greets them overdue or with an escalation already due.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { IncidentFile } from '../../../src/api/schemas';
import { slaStatus } from '../../../src/incidents/sla';
import { type SandboxHandle, startSandbox } from '../../../src/sandbox/server';

describe('sandbox first run: seeded incidents', function () {
  this.timeout(120_000);
  let sandbox: SandboxHandle;
  let dir: string;
  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'sv-first-run-'));
    sandbox = await startSandbox({ dbPath: path.join(dir, 'db.sqlite'), port: 0, reset: true });
  });
  after(async () => {
    await sandbox?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('are recent and none is overdue or due for escalation', async () => {
    const key = sandbox.demoCredentials.find((d) => d.role === 'platform_admin' && d.tenant_code === 'lts');
    assert.ok(key);
    const res = await fetch(`${sandbox.url}/api/v1/platform/incidents`, {
      headers: { Authorization: `Bearer ${key.api_key}`, 'X-Tenant-Code': 'lts', 'X-Site-Code': 'wien' },
    });
    assert.equal(res.status, 200);
    const { incidents } = IncidentFile.parse(await res.json());
    const now = new Date();
    const active = incidents.filter((i) => slaStatus(i, now).active);
    assert.ok(active.length > 0, 'the demo has an open incident to look at');
    for (const i of incidents) {
      const age = now.getTime() - Date.parse(i.created_at);
      assert.ok(
        age >= 0 && age < 60 * 86_400_000,
        `${i.id} created ${i.created_at}: within the last 60 days`,
      );
      const sla = slaStatus(i, now);
      assert.equal(sla.breached, false, `${i.id} is not overdue on first run`);
      assert.equal(sla.escalation.due, false, `${i.id} has no escalation due on first run`);
    }
  });
});
