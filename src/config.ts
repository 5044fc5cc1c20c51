// Every `solvereign.*` setting in one place: its key, default, scope, bounds and whether an untrusted
// workspace may set it, and a typed reader with change events. package.json's
// `contributes.configuration` must say the same (test/unit/config.test.ts compares them).
// `vscode` is only a type here: activate() passes `vscode.workspace` in, so the definitions load in
// plain Node (unit tests, the language client bundle).
import type * as vscode from 'vscode';
import { DEFAULT_CONTACTS } from './incidents/sla';
import { DEFAULT_MAX_LOG_DIAGNOSTICS } from './language/ids';

export const CONFIG_SECTION = 'solvereign';

/** VS Code's setting scopes; a setting without one in package.json is 'window'. */
export type SettingScope =
  | 'application'
  | 'machine'
  | 'machine-overridable'
  | 'window'
  | 'resource'
  | 'language-overridable';

interface SettingDefinition {
  default: unknown;
  scope: SettingScope;
  minimum?: number;
  maximum?: number;
  /** Listed in `capabilities.untrustedWorkspaces.restrictedConfigurations`: only user settings count. */
  restricted?: boolean;
}

export const SETTINGS = {
  environments: { default: [] as unknown[], scope: 'application', restricted: true },
  'sandbox.port': { default: 8765, scope: 'machine', minimum: 0, maximum: 65535, restricted: true },
  'sandbox.demoRole': { default: 'platform_admin', scope: 'machine', restricted: true },
  'sandbox.profile': { default: 'default', scope: 'machine', restricted: true },
  requestTimeoutMs: { default: 15_000, scope: 'window', minimum: 1000 },
  'logs.maxDiagnostics': { default: DEFAULT_MAX_LOG_DIAGNOSTICS, scope: 'window', minimum: 0 },
  'records.folder': { default: '.solvereign/records', scope: 'resource', restricted: true },
  'sidebar.refreshIntervalSeconds': { default: 60, scope: 'window', minimum: 0 },
  'runs.pageSize': { default: 25, scope: 'window', minimum: 5, maximum: 100 },
  contacts: { default: DEFAULT_CONTACTS as readonly unknown[], scope: 'window' },
  'incidents.timeZone': { default: 'Europe/Vienna', scope: 'window' },
  'l3.externalSolver.command': { default: '', scope: 'machine', restricted: true },
  'l3.externalSolver.args': { default: [] as unknown[], scope: 'machine', restricted: true },
  'l3.externalSolver.timeoutSeconds': { default: 60, scope: 'machine', minimum: 1, maximum: 3600 },
} as const satisfies Record<string, SettingDefinition>;

export type SettingKey = keyof typeof SETTINGS;

type Widen<T> = T extends number
  ? number
  : T extends string
    ? string
    : T extends readonly unknown[]
      ? unknown[]
      : T;
/** What reading a setting returns: its default's type (lists stay `unknown[]`: their owners parse them). */
export type SettingValue<K extends SettingKey> = Widen<(typeof SETTINGS)[K]['default']>;

/** The part of `vscode.workspace` the module uses (tests may pass their own). */
export type ConfigurationSource = Pick<
  typeof vscode.workspace,
  'getConfiguration' | 'onDidChangeConfiguration'
>;

/** Reads a raw settings value as the definition says: wrong types give the default, numbers are clamped. */
export function coerceSetting<K extends SettingKey>(key: K, raw: unknown): SettingValue<K> {
  const def: SettingDefinition = SETTINGS[key];
  const fallback = (Array.isArray(def.default) ? [...def.default] : def.default) as SettingValue<K>;
  if (raw === undefined || raw === null) return fallback;
  if (Array.isArray(def.default)) return (Array.isArray(raw) ? raw : fallback) as SettingValue<K>;
  if (typeof def.default === 'number') {
    if (typeof raw !== 'number' || !Number.isFinite(raw)) return fallback;
    const low = def.minimum ?? -Infinity;
    const high = def.maximum ?? Infinity;
    return Math.min(high, Math.max(low, raw)) as SettingValue<K>;
  }
  if (typeof def.default === 'string')
    return (typeof raw === 'string' && raw.trim() ? raw : fallback) as SettingValue<K>;
  return raw as SettingValue<K>;
}

export class Config {
  constructor(private readonly source: ConfigurationSource) {}

  /** The setting's value (user, workspace or folder of `scope`), or its default. */
  get<K extends SettingKey>(key: K, scope?: vscode.Uri): SettingValue<K> {
    return coerceSetting(key, this.source.getConfiguration(CONFIG_SECTION, scope).get(key));
  }

  /** Where a string setting's value comes from: the user's settings, or the workspace/folder's (raw). */
  layers(key: SettingKey, scope?: vscode.Uri): { user?: string; workspace?: string } {
    const i = this.source.getConfiguration(CONFIG_SECTION, scope).inspect<unknown>(key);
    const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v : undefined);
    return { user: str(i?.globalValue), workspace: str(i?.workspaceFolderValue) ?? str(i?.workspaceValue) };
  }

  /** Calls `listener` with the keys among `keys` that a settings change touched (none: not called). */
  onDidChange(keys: readonly SettingKey[], listener: (changed: SettingKey[]) => void): vscode.Disposable {
    return this.source.onDidChangeConfiguration((e) => {
      const changed = keys.filter((k) => e.affectsConfiguration(`${CONFIG_SECTION}.${k}`));
      if (changed.length) listener(changed);
    });
  }
}
