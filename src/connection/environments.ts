// Environments the extension can talk to: the local sandbox (always available) plus the ones in the
// `solvereign.environments` setting. Pure; the settings object is passed in.

export interface Environment {
  /** Stable id used for SecretStorage keys and state. */
  id: string;
  name: string;
  url: string;
  tenant: string;
  site: string;
  /** The embedded sandbox the extension can start itself. */
  isLocalSandbox: boolean;
}

export interface EnvironmentSetting {
  name?: unknown;
  url?: unknown;
  tenant?: unknown;
  site?: unknown;
}

export const LOCAL_SANDBOX_ID = 'local-sandbox';

export function localSandbox(opts: {
  port: number;
  urlOverride?: string;
  tenant?: string;
  site?: string;
}): Environment {
  return {
    id: LOCAL_SANDBOX_ID,
    name: 'Local sandbox',
    url: (opts.urlOverride ?? `http://127.0.0.1:${opts.port}`).replace(/\/+$/, ''),
    tenant: opts.tenant ?? 'lts',
    site: opts.site ?? 'wien',
    isLocalSandbox: true,
  };
}

export interface EnvironmentProblem {
  index: number;
  message: string;
}

/** Reads the setting, keeping the valid entries and saying what is wrong with the others. */
export function parseEnvironments(raw: unknown): {
  environments: Environment[];
  problems: EnvironmentProblem[];
} {
  const environments: Environment[] = [];
  const problems: EnvironmentProblem[] = [];
  if (raw === undefined || raw === null) return { environments, problems };
  if (!Array.isArray(raw)) {
    problems.push({ index: -1, message: 'solvereign.environments must be a list' });
    return { environments, problems };
  }
  raw.forEach((entry: EnvironmentSetting, index) => {
    const name = typeof entry?.name === 'string' ? entry.name.trim() : '';
    const url = typeof entry?.url === 'string' ? entry.url.trim() : '';
    const tenant = typeof entry?.tenant === 'string' ? entry.tenant.trim() : '';
    const site = typeof entry?.site === 'string' ? entry.site.trim() : '';
    if (!name || !url || !tenant || !site) {
      problems.push({ index, message: `entry ${index + 1} needs name, url, tenant and site` });
      return;
    }
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      problems.push({ index, message: `${name}: '${url}' is not a URL` });
      return;
    }
    if (parsed.protocol !== 'https:' && !isLoopback(parsed.hostname)) {
      // Credentials only travel encrypted, except to this machine.
      problems.push({ index, message: `${name}: use https:// (plain http is allowed only for localhost)` });
      return;
    }
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
      problems.push({ index, message: `${name}: unsupported protocol ${parsed.protocol}` });
      return;
    }
    const id = `env-${slug(name)}`;
    if (id === LOCAL_SANDBOX_ID || environments.some((e) => e.id === id)) {
      problems.push({ index, message: `${name}: duplicate environment name` });
      return;
    }
    environments.push({ id, name, url: url.replace(/\/+$/, ''), tenant, site, isLocalSandbox: false });
  });
  return { environments, problems };
}

export function isLoopback(hostname: string): boolean {
  return (
    hostname === 'localhost' ||
    hostname === '[::1]' ||
    hostname === '::1' ||
    /^127\.\d+\.\d+\.\d+$/.test(hostname)
  );
}

function slug(s: string): string {
  return s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}
