// What the status bar item says: the most urgent state first ("KILL SWITCH ACTIVE", "S1 open"), then
// `environment · site · health`, and how loud it is (error: kill switch or S0; warning: S1 or not
// healthy). vscode-free.
import type { ConnectionState } from '../connection/connectionManager';
import { accessibleName } from './accessibleName';

export interface StatusBarInput {
  environment?: string;
  tenant?: string;
  site?: string;
  state: ConnectionState;
  /** From GET /health (undefined: not known yet or failed). */
  health?: string;
  healthError?: string;
  killSwitchActive?: boolean;
  killSwitchMode?: string | null;
  killSwitchReason?: string | null;
  criticalOpen: number;
  /** How many of the open S0/S1 incidents are S0. */
  s0Open?: number;
}

export interface StatusBarView {
  text: string;
  tooltip: string;
  warning: boolean;
  /** The background: error (kill switch, S0 open), warning (S1 open, not healthy) or none. */
  level?: 'error' | 'warning';
  /** What a screen reader says: where, the connection state, health and why it warns. */
  accessibleName: string;
}

/** The connection state in words (never its internal id such as `signedOut`). */
export function connectionStateWords(state: ConnectionState): string {
  return STATE_WORDS[state] ?? 'unknown connection state';
}

const STATE_WORDS: Record<ConnectionState, string> = {
  noEnvironment: 'no environment',
  sandboxStopped: 'sandbox stopped',
  signedOut: 'signed out',
  unreachable: 'unreachable',
  ready: 'connected',
};

export function statusBarView(i: StatusBarInput): StatusBarView {
  const env = i.environment ?? 'SOLVEREIGN';
  const site = i.tenant && i.site ? `${i.tenant}/${i.site}` : '—';
  const health =
    i.state !== 'ready' ? STATE_WORDS[i.state] : i.health ? i.health : i.healthError ? 'health unknown' : '…';
  const warning =
    !!i.killSwitchActive ||
    i.criticalOpen > 0 ||
    (i.state === 'ready' && !!i.health && i.health !== 'healthy');
  const s0 = i.s0Open ?? 0;
  const urgent: string[] = [];
  if (i.killSwitchActive) urgent.push('KILL SWITCH ACTIVE');
  if (i.criticalOpen > 0) {
    const which = s0 === 0 ? 'S1' : s0 === i.criticalOpen ? 'S0' : 'S0/S1';
    urgent.push(`${i.criticalOpen === 1 ? '' : `${i.criticalOpen} `}${which} open`);
  }
  const level = i.killSwitchActive || s0 > 0 ? 'error' : warning ? 'warning' : undefined;
  const icon =
    level === 'error'
      ? '$(error)'
      : warning
        ? '$(warning)'
        : i.state === 'ready'
          ? '$(pulse)'
          : '$(debug-disconnect)';
  const text = `${icon} ${[...urgent, env, site, health].join(' · ')}`;
  const tooltip = [
    `SOLVEREIGN — ${env} (${STATE_WORDS[i.state]})`,
    `Site: ${site}`,
    `Health: ${i.health ?? i.healthError ?? 'unknown'}`,
    i.killSwitchActive
      ? `Kill switch ACTIVE${i.killSwitchMode ? ` (${i.killSwitchMode})` : ''}${i.killSwitchReason ? `: ${i.killSwitchReason}` : ''}`
      : 'Kill switch off',
    `Open S0/S1 incidents: ${i.criticalOpen}`,
    'Click: SOLVEREIGN procedures',
  ].join('\n');
  const warnings = [
    i.killSwitchActive && 'kill switch active',
    i.criticalOpen > 0 && `${i.criticalOpen} open S0/S1 incident${i.criticalOpen === 1 ? '' : 's'}`,
  ].filter(Boolean);
  const name = accessibleName(
    `SOLVEREIGN: ${env}`,
    site === '—' ? 'no site' : site,
    STATE_WORDS[i.state],
    i.state === 'ready' && (i.health ?? (i.healthError ? 'health unknown' : 'checking health')),
    warnings.length > 0 && `warning: ${warnings.join(' and ')}`,
  );
  return { text, tooltip, warning, level, accessibleName: name };
}
