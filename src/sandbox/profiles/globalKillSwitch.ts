// Live SOLVEREIGN's kill switch: one global switch held in a file on the server, toggled by a
// script there (`publish_gate.py kill-switch`), never over HTTP. The sandbox's live profile reads
// this file on every status/publish/lock; `solvereign sandbox kill-switch` writes it.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { MIN_REASON_LENGTH } from '../../ops/reason';

export const KILL_SWITCH_FILE = 'kill-switch.json';
export { MIN_REASON_LENGTH };

export interface KillSwitchChange {
  action: 'activate' | 'deactivate';
  by: string;
  reason: string;
  at: string;
}

export interface GlobalKillSwitch {
  active: boolean;
  reason: string | null;
  by: string | null;
  at: string | null;
  /** Every toggle, oldest first: who, why, when (the switch's own audit trail). */
  history: KillSwitchChange[];
}

const OFF: GlobalKillSwitch = { active: false, reason: null, by: null, at: null, history: [] };

export function killSwitchFile(dataDir: string): string {
  return path.join(dataDir, KILL_SWITCH_FILE);
}

/** The switch as the file says; no file = off. A damaged file counts as ON (fail safe) and says so. */
export function readGlobalKillSwitch(dataDir: string): GlobalKillSwitch {
  let text: string;
  try {
    text = readFileSync(killSwitchFile(dataDir), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { ...OFF, history: [] };
    throw e;
  }
  try {
    const v = JSON.parse(text) as Partial<GlobalKillSwitch>;
    if (typeof v.active !== 'boolean') throw new Error('field "active" is not true/false');
    return {
      active: v.active,
      reason: typeof v.reason === 'string' ? v.reason : null,
      by: typeof v.by === 'string' ? v.by : null,
      at: typeof v.at === 'string' ? v.at : null,
      history: Array.isArray(v.history) ? v.history : [],
    };
  } catch (e) {
    return {
      active: true,
      reason: `kill switch file ${killSwitchFile(dataDir)} is unreadable (${(e as Error).message}); treated as active`,
      by: null,
      at: null,
      history: [],
    };
  }
}

/**
 * Turns the global switch on or off. `by` and a reason of at least 10 characters (trimmed) are
 * required, as on live. Returns the new state and whether it changed (toggling to the state it
 * is already in changes nothing but is still recorded).
 */
export function setGlobalKillSwitch(
  dataDir: string,
  change: { active: boolean; by: string; reason: string; at?: Date },
): { state: GlobalKillSwitch; changed: boolean } {
  const by = change.by.trim();
  const reason = change.reason.trim();
  if (!by) throw new Error('--by is required: who toggles the kill switch');
  if (reason.length < MIN_REASON_LENGTH)
    throw new Error(`--reason must be at least ${MIN_REASON_LENGTH} characters (after trimming)`);
  const before = readGlobalKillSwitch(dataDir);
  const at = (change.at ?? new Date()).toISOString();
  const state: GlobalKillSwitch = {
    active: change.active,
    reason: change.active ? reason : null,
    by,
    at,
    history: [...before.history, { action: change.active ? 'activate' : 'deactivate', by, reason, at }],
  };
  mkdirSync(dataDir, { recursive: true });
  // Write then rename: a reader never sees half a file.
  const file = killSwitchFile(dataDir);
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(tmp, file);
  return { state, changed: before.active !== change.active };
}
