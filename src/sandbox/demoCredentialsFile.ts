// The owner-only file with a sandbox's plain demo keys (`credentials.json` beside its database):
// the only place they exist besides the start-up table; the database keeps their sha256.
import { readFileSync } from 'node:fs';
import { writeFileSafeSync } from '../shared/safeWrite';
import type { DemoCredential, DemoKeys } from './seed';

/** The per-tenant keys recorded in the file, or undefined when it is missing or unreadable. */
export function readDemoKeys(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'))?.tenants;
  } catch {
    return undefined;
  }
}

/**
 * Writes the demo keys bound to this server's URL: the CLI and the extension sign in to the local
 * sandbox with it, so a new user needs no account. A planted link is refused, never followed.
 */
export function writeDemoCredentialsFile(file: string, url: string, creds: DemoCredential[]): void {
  const keysOf = (tenant: string) =>
    Object.fromEntries(creds.filter((c) => c.tenant_code === tenant).map((c) => [c.role, c.api_key]));
  const lts = keysOf('lts');
  const tenants: DemoKeys = Object.fromEntries(
    [...new Set(creds.map((c) => c.tenant_code))].map((t) => [t, keysOf(t)]),
  );
  const body = {
    server: url,
    tenant: 'lts',
    site: 'wien',
    api_key: lts.platform_admin,
    keys: lts,
    tenants,
    accounts: creds,
  };
  writeFileSafeSync(file, `${JSON.stringify(body, null, 2)}\n`, { private: true });
}
