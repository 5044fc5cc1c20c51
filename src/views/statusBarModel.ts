// What the status bar item says: `environment · site · health`, and whether it warns (kill switch
// active or an S0/S1 incident open). vscode-free.
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
}

export interface StatusBarView {
  text: string;
  tooltip: string;
  warning: boolean;
  /** What a screen reader says: where, the connection state, health and why it warns. */
  accessibleName: string;
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
  const marks: string[] = [];
  if (i.killSwitchActive) marks.push('kill switch');
  if (i.criticalOpen > 0) marks.push(`${i.criticalOpen} S0/S1`);
  const icon = warning ? '$(warning)' : i.state === 'ready' ? '$(pulse)' : '$(debug-disconnect)';
  const text = `${icon} ${env} · ${site} · ${health}${marks.length ? ` · ${marks.join(' · ')}` : ''}`;
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
  return { text, tooltip, warning, accessibleName: name };
}
