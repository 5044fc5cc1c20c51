// Live SOLVEREIGN sits behind a reverse proxy that may compress its answers. The built CLI (whose
// bundle loads zlib only when an answer is compressed) reads gzip, deflate and Brotli answers
// exactly like plain ones: a real compressing proxy on 127.0.0.1 in front of the sandbox.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { type SandboxHandle, startSandbox } from '../../src/sandbox/server';
import { CLI, spawnCli } from './cliProcess';

type Encoding = 'gzip' | 'deflate' | 'br';
const COMPRESS: Record<Encoding, (b: Buffer) => Buffer> = {
  gzip: (b) => zlib.gzipSync(b),
  deflate: (b) => zlib.deflateSync(b),
  br: (b) => zlib.brotliCompressSync(b),
};

describe('solvereign CLI behind a compressing proxy (real process, real HTTP)', function () {
  this.timeout(60_000);
  let sandbox: SandboxHandle;
  let proxy: http.Server;
  let proxyUrl: string;
  let dir: string;
  /** What the proxy answers with next, and what it saw. */
  let encoding: Encoding = 'gzip';
  const seen: { acceptEncoding: string; sent: string }[] = [];

  before(async () => {
    if (!existsSync(CLI))
      throw new Error('dist/cli.js is missing: run `node esbuild.mjs` first (npm test does)');
    dir = mkdtempSync(path.join(os.tmpdir(), 'sv-cli-zip-'));
    sandbox = await startSandbox({
      dbPath: path.join(dir, 'db.sqlite'),
      port: 0,
      reset: true,
      seedEngine: 'synthetic',
    });
    const target = new URL(sandbox.url);
    proxy = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const upstream = http.request(
          {
            host: target.hostname,
            port: target.port,
            method: req.method,
            path: req.url,
            headers: { ...req.headers, host: target.host, 'accept-encoding': 'identity' },
          },
          (up) => {
            const body: Buffer[] = [];
            up.on('data', (c: Buffer) => body.push(c));
            up.on('end', () => {
              const offered = String(req.headers['accept-encoding'] ?? '');
              const use = offered.split(/\s*,\s*/).includes(encoding) ? encoding : undefined;
              seen.push({ acceptEncoding: offered, sent: use ?? 'identity' });
              const payload = use ? COMPRESS[use](Buffer.concat(body)) : Buffer.concat(body);
              const headers = { ...up.headers };
              delete headers['content-length'];
              if (use) headers['content-encoding'] = use;
              res.writeHead(up.statusCode ?? 502, { ...headers, 'content-length': payload.length });
              res.end(payload);
            });
          },
        );
        upstream.on('error', () => res.writeHead(502).end());
        upstream.end(Buffer.concat(chunks));
      });
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  });
  after(async () => {
    await new Promise((resolve) => proxy?.close(resolve));
    await sandbox?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const run = (server: string, args: string[]) => {
    const key = sandbox.demoCredentials.find((d) => d.role === 'platform_admin' && d.tenant_code === 'lts');
    return spawnCli(['--server', server, '--json', ...args], {
      cwd: dir,
      env: {
        PATH: process.env.PATH,
        HOME: dir,
        SOLVEREIGN_API_KEY: key?.api_key,
        SOLVEREIGN_USER: 'cli-zip',
      },
    });
  };

  for (const e of ['gzip', 'deflate', 'br'] as const) {
    it(`reads ${e} answers like plain ones: status and list-runs`, async () => {
      encoding = e;
      seen.length = 0;
      for (const args of [['status'], ['list-runs', '--limit', '3']]) {
        const direct = await run(sandbox.url, args);
        const through = await run(proxyUrl, args);
        assert.equal(through.code, 0, through.stderr);
        assert.deepEqual(JSON.parse(through.stdout), JSON.parse(direct.stdout));
      }
      assert.ok(seen.length >= 2, JSON.stringify(seen));
      assert.ok(
        seen.every((s) => s.sent === e),
        `every answer went ${e}: ${JSON.stringify(seen)}`,
      );
    });
  }

  it('a kill-switch toggle through the proxy takes effect and its Brotli answers are read', async () => {
    encoding = 'br';
    seen.length = 0;
    const status = async (server: string) =>
      JSON.parse((await run(server, ['kill-switch', 'status'])).stdout);
    const reason = ['--mode', 'drill', '--reason', 'compressed answers drill'];
    const off = await run(proxyUrl, ['kill-switch', 'disable', ...reason]);
    assert.equal(off.code, 0, off.stderr);
    assert.equal((await status(sandbox.url)).kill_switch_active, true);
    assert.equal((await status(proxyUrl)).kill_switch_active, true);
    const on = await run(proxyUrl, ['kill-switch', 'enable', ...reason]);
    assert.equal(on.code, 0, on.stderr);
    assert.equal((await status(sandbox.url)).kill_switch_active, false);
    assert.ok(seen.length >= 3 && seen.every((s) => s.sent === 'br'), JSON.stringify(seen));
  });
});
