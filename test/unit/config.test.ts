// The settings module against package.json (one definition: keys, defaults, scopes, bounds, what an
// untrusted workspace may not set) and its reader (defaults, clamping, change events).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  CONFIG_SECTION,
  Config,
  type ConfigurationSource,
  coerceSetting,
  SETTINGS,
  type SettingKey,
} from '../../src/config';

const manifest = JSON.parse(readFileSync(path.resolve(__dirname, '../../package.json'), 'utf8'));
const properties: Record<string, Record<string, unknown>> = manifest.contributes.configuration.properties;
const keys = Object.keys(SETTINGS) as SettingKey[];

describe('config: settings module and package.json agree', () => {
  it('declares the same keys', () => {
    assert.deepEqual(Object.keys(properties).sort(), keys.map((k) => `${CONFIG_SECTION}.${k}`).sort());
  });

  for (const key of keys) {
    it(`${key}: same default, scope and bounds`, () => {
      const p = properties[`${CONFIG_SECTION}.${key}`]!;
      const def = SETTINGS[key] as { default: unknown; scope: string; minimum?: number; maximum?: number };
      assert.deepEqual(p.default, JSON.parse(JSON.stringify(def.default)), 'default');
      assert.equal(p.scope ?? 'window', def.scope, 'scope');
      assert.equal(p.minimum, def.minimum, 'minimum');
      assert.equal(p.maximum, def.maximum, 'maximum');
    });
  }

  it('restricts the same settings in untrusted workspaces', () => {
    const restricted = keys.filter((k) => (SETTINGS[k] as { restricted?: boolean }).restricted);
    assert.deepEqual(
      [...manifest.capabilities.untrustedWorkspaces.restrictedConfigurations].sort(),
      restricted.map((k) => `${CONFIG_SECTION}.${k}`).sort(),
    );
  });
});

describe('config: reading settings', () => {
  it('gives the default for a missing value or a value of the wrong type', () => {
    assert.equal(coerceSetting('runs.pageSize', undefined), 25);
    assert.equal(coerceSetting('runs.pageSize', '50'), 25);
    assert.equal(coerceSetting('records.folder', '  '), '.solvereign/records');
    assert.deepEqual(coerceSetting('environments', { name: 'x' }), []);
  });

  it('clamps numbers to the declared bounds', () => {
    assert.equal(coerceSetting('runs.pageSize', 1000), 100);
    assert.equal(coerceSetting('runs.pageSize', 1), 5);
    assert.equal(coerceSetting('sandbox.port', 0), 0);
  });

  it('never hands out the default list itself (a caller changing it changes nothing)', () => {
    const a = coerceSetting('contacts', undefined);
    a.push({ role: 'x' });
    assert.equal(coerceSetting('contacts', undefined).length, SETTINGS.contacts.default.length);
  });

  it('reads through the source and reports only the watched keys that changed', () => {
    const values: Record<string, unknown> = { 'runs.pageSize': 40 };
    let fire: ((e: { affectsConfiguration(s: string): boolean }) => void) | undefined;
    const source = {
      getConfiguration: (section: string) => {
        assert.equal(section, CONFIG_SECTION);
        return { get: (k: string) => values[k] };
      },
      onDidChangeConfiguration: (fn: typeof fire) => {
        fire = fn;
        return { dispose: () => undefined };
      },
    } as unknown as ConfigurationSource;
    const config = new Config(source);
    assert.equal(config.get('runs.pageSize'), 40);
    assert.equal(config.get('sidebar.refreshIntervalSeconds'), 60);
    const seen: SettingKey[][] = [];
    config.onDidChange(['runs.pageSize', 'contacts'], (changed) => seen.push(changed));
    const change = (...affected: string[]) => fire?.({ affectsConfiguration: (s) => affected.includes(s) });
    change('solvereign.runs.pageSize');
    change('solvereign.requestTimeoutMs');
    assert.deepEqual(seen, [['runs.pageSize']]);
  });
});
