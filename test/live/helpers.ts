// The live pass (`npm test` stage `live`): a sandbox started with `--profile live` (SOLVEREIGN as
// deployed) on 127.0.0.1 with a temp data folder, and the CLI as a real process against it with no
// credentials at all (live's cockpit takes none).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setGlobalKillSwitch } from '../../src/sandbox/profiles/globalKillSwitch';
import { type SandboxHandle, startSandbox } from '../../src/sandbox/server';
import { CLI, type CliResult as ProcessResult, spawnCli } from '../integration/cliProcess';

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

export interface CliResult extends ProcessResult {
  // biome-ignore lint/suspicious/noExplicitAny: --json output is inspected freely
  json: any;
}

/** Runs `solvereign --server URL …` with no API key, no credentials file, a throwaway HOME. */
export async function cli(
  server: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<CliResult> {
  if (!existsSync(CLI))
    throw new Error('dist/cli.js is missing: run `node esbuild.mjs` first (npm test does)');
  const home = mkdtempSync(path.join(os.tmpdir(), 'sv-live-cli-'));
  try {
    const r = await spawnCli(['--server', server, ...args], {
      cwd: home,
      env: { PATH: process.env.PATH, HOME: home, SOLVEREIGN_USER: 'ops@lts.example', ...env },
    });
    let json: unknown;
    try {
      json = JSON.parse(r.stdout);
    } catch {
      json = undefined;
    }
    return { ...r, json };
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}
