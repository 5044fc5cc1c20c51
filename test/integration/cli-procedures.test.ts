// `solvereign sp00x`: the runbook procedures run by the CLI on the same definitions and engine as
// the extension (a real process, dist/cli.js, against the sandbox on 127.0.0.1).
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type SandboxHandle, startSandbox } from '../../src/sandbox/server';
import type { Role } from '../../src/shared/runbook';
import { CLI, spawnCli } from './cliProcess';

describe('solvereign sp00x: procedures from the CLI', function () {
  this.timeout(60_000);
  let sandbox: SandboxHandle;
  let dir: string;
  const run = (args: string[], role: Role = 'platform_admin', withKey = true) => {
    const key = sandbox.demoCredentials.find((d) => d.role === role && d.tenant_code === 'lts');
    return spawnCli(['--server', sandbox.url, '--role', role, ...args], {
      cwd: dir,
      env: {
        PATH: process.env.PATH,
        HOME: dir,
        SOLVEREIGN_USER: key?.email ?? 'cli-test@lts.demo',
        ...(withKey ? { SOLVEREIGN_API_KEY: key?.api_key } : {}),
      },
    });
  };
  const json = (out: string) =>
    JSON.parse(out) as Record<string, unknown> & { result: string; steps: { id: string }[] };

  before(async () => {
    if (!existsSync(CLI)) throw new Error('dist/cli.js is missing: run `node esbuild.mjs` first');
    dir = mkdtempSync(path.join(os.tmpdir(), 'sv-cli-proc-'));
    sandbox = await startSandbox({ dbPath: path.join(dir, 'db.sqlite'), port: 0, reset: true });
  });
  after(async () => {
    await sandbox?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sp001 prints the record; --json is the procedure result; --records saves it', async () => {
    const human = await run(['sp001']);
    assert.match(human.stdout, /^# SP-001 Health Check — (PASS|WARN|FAIL)\n/);
    const r = await run(['--json', 'sp001', '--records', 'records']);
    const out = json(r.stdout);
    assert.equal(r.code, out.result === 'FAIL' ? 1 : 0, 'exit 1 only for a FAIL verdict');
    assert.equal(out.procedure, 'SP-001');
    assert.ok(out.steps.length >= 3);
    assert.equal(readdirSync(path.join(dir, 'records')).length, 1);
    assert.equal(readFileSync(String(out.recordPath), 'utf8'), out.record);
  });

  it('sp003 publish sends nothing without --yes, publishes with it, and a second time is ALREADY_PUBLISHED (exit 0)', async () => {
    const list = JSON.parse((await run(['--json', 'list-runs'])).stdout) as {
      runs: { run_id: string; status: string; published: boolean }[];
    };
    const target = list.runs.find((x) => x.status === 'PASS' && !x.published);
    assert.ok(target);
    const no = await run(
      ['--json', 'sp003', 'publish', target.run_id, '--reason', 'Weekly plan approved'],
      'dispatcher',
    );
    assert.equal(no.code, 1);
    assert.equal(json(no.stdout).result, 'CANCELLED');
    assert.match(no.stderr, /sends nothing without --yes/);
    const yes = await run(
      ['--json', 'sp003', 'publish', target.run_id, '--reason', 'Weekly plan approved', '--yes'],
      'dispatcher',
    );
    assert.equal(yes.code, 0, yes.stdout);
    assert.equal(json(yes.stdout).result, 'PUBLISHED');
    const again = await run(
      ['--json', 'sp003', 'publish', target.run_id, '--reason', 'Weekly plan approved', '--yes'],
      'dispatcher',
    );
    assert.equal(again.code, 0);
    assert.equal(json(again.stdout).result, 'ALREADY_PUBLISHED');
    assert.equal(json(again.stdout).changed, false);
  });

  it('the same rules as the extension: a short lock reason is refused (the CLI checked it for publish only)', async () => {
    const list = JSON.parse((await run(['--json', 'list-runs'])).stdout) as {
      runs: { run_id: string; published: boolean; locked: boolean }[];
    };
    const target = list.runs.find((x) => x.published && !x.locked);
    assert.ok(target);
    const r = await run(['--json', 'sp003', 'lock', target.run_id, '--reason', 'short', '--yes'], 'ops_lead');
    assert.equal(r.code, 2, r.stdout + r.stderr);
    const out = json(r.stdout);
    assert.equal(out.result, 'BLOCKED');
    assert.equal(out.code, 'REASON_REQUIRED');
    assert.match(String((out.block as { detail: string }).detail), /at least 10 characters/);
  });

  it('sp003 by a read-only role is BLOCKED with exit 2; sp006 kill needs --yes to type the site', async () => {
    const list = JSON.parse((await run(['--json', 'list-runs'])).stdout) as {
      runs: { run_id: string; published: boolean }[];
    };
    const unpublished = list.runs.find((x) => !x.published);
    assert.ok(unpublished);
    const blocked = await run(
      ['--json', 'sp003', 'publish', unpublished.run_id, '--reason', 'reason long enough', '--yes'],
      'ops_readonly',
    );
    assert.equal(blocked.code, 2);
    assert.equal(json(blocked.stdout).code, 'PERMISSION_DENIED');
    const kill = await run(
      ['--json', 'sp006', 'kill', '--reason', 'Security incident in the CLI test'],
      'ops_lead',
    );
    assert.equal(kill.code, 1);
    assert.match(kill.stdout, /no answer for \\"confirmSite\\"/);
    const status = JSON.parse((await run(['--json', 'status'])).stdout) as { kill_switch_active: boolean };
    assert.equal(status.kill_switch_active, false, 'nothing sent');
  });

  it('usage errors name what is missing', async () => {
    const r = await run(['sp003', 'RUN-1']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /sp003 needs one of: publish, lock/);
  });

  describe('against --profile live (no [ops] endpoints)', () => {
    let live: SandboxHandle;
    let liveDir: string;
    const onLive = async (args: string[], role: Role) => {
      const saved = sandbox;
      sandbox = live;
      try {
        // Live's dispatcher routes take no key (an X-API-Key header is refused there).
        return await run(args, role, false);
      } finally {
        sandbox = saved;
      }
    };
    before(async () => {
      liveDir = mkdtempSync(path.join(os.tmpdir(), 'sv-cli-proc-live-'));
      live = await startSandbox({
        dbPath: path.join(liveDir, 'db.sqlite'),
        port: 0,
        reset: true,
        profile: 'live',
      });
    });
    after(async () => {
      await live?.close();
      rmSync(liveDir, { recursive: true, force: true });
    });

    it('sp005 is NOT_OFFERED (exit 3) before anything is sent, never a FAIL', async () => {
      const r = await onLive(['--json', 'sp005', '--reason', 'Monday drill on live', '--yes'], 'dispatcher');
      assert.equal(r.code, 3, r.stdout + r.stderr);
      const out = json(r.stdout);
      assert.equal(out.result, 'NOT_OFFERED');
      assert.deepEqual(
        out.steps.map((s) => s.id),
        ['capability'],
      );
    });

    it('sp006 kill prints the server-side command and, not run, is NOT_OFFERED (exit 3)', async () => {
      const r = await onLive(
        ['--json', 'sp006', 'kill', '--reason', 'Security incident on live', '--yes'],
        'ops_lead',
      );
      assert.equal(r.code, 3, r.stdout + r.stderr);
      assert.equal(json(r.stdout).result, 'NOT_OFFERED');
      assert.match(
        r.stderr,
        /Command to run on the server:\n {2}python backend_py\/api\/services\/publish_gate\.py kill-switch --activate/,
      );
      assert.match(r.stdout, /every site/);
    });
  });
});
