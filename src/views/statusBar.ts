// The one status bar item: `environment · site · health`, warning colour when the kill switch is
// active or an S0/S1 incident is open; a click opens the procedures (solvereign.showProcedures).
import * as vscode from 'vscode';
import type { ConnectionManager } from '../connection/connectionManager';
import { type StatusBarInput, type StatusBarView, statusBarView } from './statusBarModel';

export const STATUS_BAR_COMMAND = 'solvereign.showProcedures';

export class StatusBarController implements vscode.Disposable {
  readonly item: vscode.StatusBarItem;
  private facts: Pick<
    StatusBarInput,
    'health' | 'healthError' | 'killSwitchActive' | 'killSwitchMode' | 'killSwitchReason'
  > = {};
  private factsKey: string | undefined;
  private view: StatusBarView | undefined;
  private loading: Promise<void> | undefined;

  constructor(
    private readonly connection: ConnectionManager,
    private readonly severeOpen: () => { critical: number; s0: number },
  ) {
    this.item = vscode.window.createStatusBarItem('solvereign.status', vscode.StatusBarAlignment.Left, 50);
    this.item.name = 'SOLVEREIGN';
    this.item.command = STATUS_BAR_COMMAND;
    this.render();
    this.item.show();
  }

  /** Whether the item is on screen (it always is once created; the periodic refresh follows it). */
  get shown(): boolean {
    return true;
  }

  /** What the item shows now (tests read it). */
  get current(): StatusBarView & { command: string; backgroundColor?: string } {
    const v = this.view ?? this.compute();
    return {
      ...v,
      command: STATUS_BAR_COMMAND,
      backgroundColor: (this.item.backgroundColor as vscode.ThemeColor | undefined)?.id,
    };
  }

  private key(): string {
    const c = this.connection.client;
    return `${this.connection.active?.id}|${this.connection.state}|${c?.baseUrl}|${c?.tenant}|${c?.site}`;
  }

  private compute(): StatusBarView {
    const env = this.connection.active;
    const client = this.connection.client;
    if (this.factsKey !== this.key()) this.facts = {};
    return statusBarView({
      environment: env?.name,
      tenant: client?.tenant ?? env?.tenant,
      site: client?.site ?? env?.site,
      state: this.connection.state,
      criticalOpen: this.severeOpen().critical,
      s0Open: this.severeOpen().s0,
      ...this.facts,
    });
  }

  /** Re-renders from what is known (incident counts change without a request). */
  render(): void {
    const v = this.compute();
    this.view = v;
    this.item.text = v.text;
    this.item.tooltip = v.tooltip;
    this.item.backgroundColor = v.level
      ? new vscode.ThemeColor(`statusBarItem.${v.level}Background`)
      : undefined;
    this.item.accessibilityInformation = { label: v.accessibleName };
  }

  /** The kill switch as the server just answered a change of it: shown now, before the next read. */
  applyKillSwitch(k: { active: boolean; mode?: string | null; reason?: string | null }): void {
    const key = this.key();
    if (this.factsKey !== key) this.facts = {};
    this.facts = {
      ...this.facts,
      killSwitchActive: k.active,
      killSwitchMode: k.mode,
      killSwitchReason: k.reason,
    };
    this.factsKey = key;
    this.render();
  }

  /** Reads health and the kill switch from the server, then renders. */
  refresh(): Promise<void> {
    if (!this.loading) {
      this.loading = this.load().finally(() => {
        this.loading = undefined;
      });
    }
    return this.loading;
  }

  private async load(): Promise<void> {
    const key = this.key();
    const client = this.connection.state === 'ready' ? this.connection.client : undefined;
    if (!client) {
      this.facts = {};
      this.factsKey = key;
      this.render();
      return;
    }
    const [health, status] = await Promise.allSettled([client.health(), client.status()]);
    if (this.key() !== key) return; // switched meanwhile; the next refresh renders the new one
    this.facts = {
      health: health.status === 'fulfilled' ? health.value.status : undefined,
      healthError: health.status === 'rejected' ? (health.reason as Error).message : undefined,
      killSwitchActive: status.status === 'fulfilled' ? status.value.kill_switch_active : undefined,
      killSwitchMode: status.status === 'fulfilled' ? status.value.kill_switch_mode : undefined,
      killSwitchReason: status.status === 'fulfilled' ? status.value.kill_switch_reason : undefined,
    };
    this.factsKey = key;
    this.render();
  }

  dispose(): void {
    this.item.dispose();
  }
}
