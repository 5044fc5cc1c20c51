// The live pass (`npm test` stage `live`): a sandbox started with `--profile live` (SOLVEREIGN as
// deployed) on 127.0.0.1 with a temp data folder, and the CLI as a real process against it with no
// credentials at all (live's cockpit takes none).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setGlobalKillSwitch } from '../../src/sandbox/profiles/globalKillSwitch';
import { type SandboxHandle, startSandbox } from '../../src/sandbox/server';

export const CLI = path.resolve(__dirname, '../../dist/cli.js');

export interface LiveSandbox extends SandboxHandle {
  dir: string;
  /** Live's global kill switch (the server-side script's file). */
  killSwitch(active: boolean): void;
  stop(): Promise<void>;
}

export async function liveSandbox(): Promise<LiveSandbox> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sv-live-'));
  const sb = await startSandbox({
    dbPath: path.join(dir, 'solvereign.db'),
    port: 0,
    profile: 'live',
    seedEngine: 'synthetic',
  });
  return Object.assign(sb, {
    dir,
    killSwitch(active: boolean) {
      setGlobalKillSwitch(dir, {
        active,
        by: 'live-pass',
        reason: active ? 'live pass freeze test' : 'live pass thaw',
      });
    },
    async stop() {
      await sb.close();
      rmSync(dir, { recursive: true, force: true });
    },
  });
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  // biome-ignore lint/suspicious/noExplicitAny: --json output is inspected freely
  json: any;
}

/** Runs `solvereign --server URL …` with no API key, no credentials file, a throwaway HOME. */
export function cli(server: string, args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  if (!existsSync(CLI))
    throw new Error('dist/cli.js is missing: run `node esbuild.mjs` first (npm test does)');
  const home = mkdtempSync(path.join(os.tmpdir(), 'sv-live-cli-'));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, '--server', server, ...args], {
      cwd: home,
      env: { PATH: process.env.PATH, HOME: home, SOLVEREIGN_USER: 'ops@lts.example', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      rmSync(home, { recursive: true, force: true });
      let json: unknown;
      try {
        json = JSON.parse(stdout);
      } catch {
        json = undefined;
      }
      resolve({ code: code ?? -1, stdout, stderr, json });
    });
    child.stdin.end();
  });
}
