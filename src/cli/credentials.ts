// Where the CLI finds an API key: SOLVEREIGN_API_KEY, or a credentials file readable only by its
// owner (the sandbox writes one beside its database). The key is never printed.
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

export interface CliCredentials {
  apiKey: string;
  source: string;
}

export class CredentialsError extends Error {}

interface CredentialsFile {
  server?: string;
  api_key?: string;
  /** Per-role keys (the sandbox's demo file): used when `--role` names one. */
  keys?: Record<string, string>;
  servers?: Record<string, { api_key?: string; keys?: Record<string, string> }>;
}

export function defaultCredentialFiles(cwd = process.cwd()): string[] {
  const files: string[] = [];
  if (process.env.SOLVEREIGN_CREDENTIALS) files.push(process.env.SOLVEREIGN_CREDENTIALS);
  // $HOME first: node:os is only loaded where it is not set.
  const home = process.env.HOME || (require('node:os') as typeof import('node:os')).homedir();
  const xdg = process.env.XDG_CONFIG_HOME ?? path.join(home, '.config');
  files.push(path.join(xdg, 'solvereign', 'credentials.json'));
  files.push(path.join(cwd, '.sandbox', 'credentials.json'));
  return files;
}

export function resolveCredentials(opts: {
  server: string;
  role?: string;
  file?: string;
}): CliCredentials | undefined {
  const envKey = process.env.SOLVEREIGN_API_KEY;
  if (envKey) return { apiKey: envKey, source: 'SOLVEREIGN_API_KEY' };
  const files = opts.file ? [opts.file] : defaultCredentialFiles();
  for (const file of files) {
    if (!existsSync(file)) {
      if (opts.file) throw new CredentialsError(`credentials file ${file} does not exist`);
      continue;
    }
    const mode = statSync(file).mode;
    if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
      throw new CredentialsError(
        `credentials file ${file} is readable by others (mode ${(mode & 0o777).toString(8)}); run: chmod 600 ${file}`,
      );
    }
    let data: CredentialsFile;
    try {
      data = JSON.parse(readFileSync(file, 'utf8')) as CredentialsFile;
    } catch (e) {
      throw new CredentialsError(`credentials file ${file} is not valid JSON: ${(e as Error).message}`);
    }
    const entry = pickEntry(data, opts.server);
    if (!entry) continue;
    const key = (opts.role && entry.keys?.[opts.role]) || entry.api_key;
    if (key) return { apiKey: key, source: file };
  }
  return undefined;
}

function pickEntry(
  data: CredentialsFile,
  server: string,
): { api_key?: string; keys?: Record<string, string> } | undefined {
  const norm = (u: string) => u.replace(/\/+$/, '');
  if (data.servers) {
    for (const [url, entry] of Object.entries(data.servers)) if (norm(url) === norm(server)) return entry;
  }
  // A file bound to one server applies only to that server, so a key is never sent elsewhere.
  if (data.server && norm(data.server) !== norm(server)) return undefined;
  if (data.api_key || data.keys) return data;
  return undefined;
}

/**
 * The server named in the demo credentials file (`./.sandbox/credentials.json`, which the sandbox
 * and `npm run demo` write beside their database, or `--credentials`/`$SOLVEREIGN_CREDENTIALS`),
 * so the README's commands reach the sandbox that is running, whatever port it took.
 */
export function demoServer(file?: string, cwd = process.cwd()): { server: string; file: string } | undefined {
  const candidates = file
    ? [file]
    : [process.env.SOLVEREIGN_CREDENTIALS, path.join(cwd, '.sandbox', 'credentials.json')].filter(
        (f): f is string => !!f,
      );
  for (const f of candidates) {
    try {
      const data = JSON.parse(readFileSync(f, 'utf8')) as CredentialsFile;
      if (typeof data.server === 'string' && /^https?:\/\//.test(data.server))
        return { server: data.server, file: f };
    } catch {
      // missing or unreadable: the next candidate, then the default (resolveCredentials reports bad files)
    }
  }
  return undefined;
}
