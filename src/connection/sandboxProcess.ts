// Runs the bundled sandbox server (dist/sandbox.js) as a child process bound to 127.0.0.1 and
// waits for its "listening" line. No `vscode` here: the extension and scripts both use it.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';

export interface SandboxProcess {
  url: string;
  port: number;
  child: ChildProcess;
  /** Demo credentials file the sandbox writes beside its database. */
  credentialsFile: string;
  stop(): Promise<void>;
}

/**
 * The Node that runs the sandbox. better-sqlite3 is built for Node's ABI: code-server's extension
 * host is Node and can run it itself; desktop VS Code's is Electron (another ABI), so there we use
 * `node` from PATH.
 */
export function sandboxNode(): string {
  return process.versions.electron ? 'node' : process.execPath;
}

export interface StartSandboxOptions {
  /** Node binary; default {@link sandboxNode}. */
  nodePath?: string;
  /** Path of dist/sandbox.js. */
  script: string;
  dataDir: string;
  port?: number;
  reset?: boolean;
  /** `live` imitates SOLVEREIGN as deployed (`--profile live`); anything else is the default. */
  profile?: string;
  onLog?: (line: string) => void;
  timeoutMs?: number;
}

const LISTENING = /SOLVEREIGN sandbox listening on (http:\/\/127\.0\.0\.1:(\d+))/;

export function startSandboxProcess(o: StartSandboxOptions): Promise<SandboxProcess> {
  mkdirSync(o.dataDir, { recursive: true, mode: 0o700 });
  const dbPath = path.join(o.dataDir, 'solvereign.db');
  // --quiet: the demo banner (keys and the shared password) never reaches a log; the extension reads
  // the owner-only credentials file instead.
  const args = [o.script, '--quiet', '--host', '127.0.0.1', '--port', String(o.port ?? 0), '--db', dbPath];
  if (o.reset) args.push('--reset');
  if (o.profile === 'live') args.push('--profile', 'live');
  const child = spawn(o.nodePath ?? sandboxNode(), args, {
    cwd: o.dataDir,
    env: { ...process.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let settled = false;
    let buffered = '';
    const timer = setTimeout(() => {
      if (settled) return;
      settled = true;
      child.kill('SIGTERM');
      reject(new Error(`the sandbox did not start within ${(o.timeoutMs ?? 30_000) / 1000} s`));
    }, o.timeoutMs ?? 30_000);
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString();
      let nl = buffered.indexOf('\n');
      while (nl >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        o.onLog?.(line);
        const m = LISTENING.exec(line);
        if (m && !settled) {
          settled = true;
          clearTimeout(timer);
          resolve({
            url: m[1] ?? '',
            port: Number(m[2]),
            child,
            credentialsFile: path.join(o.dataDir, 'credentials.json'),
            stop: () => stopChild(child),
          });
        }
        nl = buffered.indexOf('\n');
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code, signal) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(new Error(`the sandbox exited before it was ready (${signal ?? `code ${code}`})`));
    });
    child.once('error', (e: NodeJS.ErrnoException) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(
        e.code === 'ENOENT'
          ? new Error(
              'The local sandbox needs Node.js 20 on PATH (`node`); install it, or run `npm run sandbox` yourself.',
            )
          : e,
      );
    });
  });
}

export function stopChild(child: ChildProcess, graceMs = 3000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const t = setTimeout(() => {
      child.kill('SIGKILL');
    }, graceMs);
    child.once('exit', () => {
      clearTimeout(t);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
