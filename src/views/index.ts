// Sidebar wiring: the Sites, Runs and Incidents trees and the status bar.
// Nothing heavy at activation: the trees load when first shown; the periodic refresh runs only while
// one of the views is visible; switching environment or site refreshes everything (debounced).
import * as vscode from 'vscode';
import type { SolvereignClient } from '../api/client';
import { RUN_STATUSES, type RunStatus } from '../api/values';
import { incidentFilePath } from '../incidents/incidentFilePath';
import {
  type IncidentEvent,
  incidentEvents,
  parseContacts,
  type SlaOptions,
  type SourcedIncident,
} from '../incidents/sla';
import type { ExtensionServices } from '../services';
import { runIdFromArg } from '../shared/args';
import { LAZY_BUNDLES, loadBundle } from '../bundles';
import type { CreateIncidentArgs, IncidentCommands, IncidentResult } from './incidents/incidentCommands';
import { criticalOpenCount, openSevere } from './incidents/incidentsModel';
import { type IncidentsNode, IncidentsProvider } from './incidents/incidentsProvider';
import { RefreshScheduler } from './refreshScheduler';
import { type RunsNode, RunsProvider } from './runs/runsProvider';
import { SitesProvider } from './sites/sitesProvider';
import { StatusBarController } from './statusBar';

const NOTIFIED_KEY = 'solvereign.incidents.notified';

export interface RunsCommandResult {
  ok: boolean;
  loaded: number;
  total?: number;
  status?: RunStatus;
  mode?: string;
  note?: string;
  message?: string;
}

export interface SidebarApi {
  sites: SitesProvider;
  runs: RunsProvider;
  incidents: IncidentsProvider;
  statusBar: StatusBarController;
  views: { runs: vscode.TreeView<RunsNode>; incidents: vscode.TreeView<IncidentsNode> };
  scheduler: RefreshScheduler;
  /** Reloads runs (keeping pages), incidents, status bar and sites. */
  refreshAll(): Promise<void>;
  /** The clock for SLA countdowns and escalation (tests fix it); undefined = the real clock. */
  setClock(now?: () => Date): void;
  now(): Date;
  /** Evaluates SLA/escalation transitions now and notifies about the new ones; returns them. */
  checkIncidents(): Promise<IncidentEvent[]>;
  /** Every notification shown so far (newest last). */
  notifications: IncidentEvent[];
  incidentFile(): string | undefined;
  /** The incident commands (loaded on first use). */
  incidentCommands(): IncidentCommands;
}

function workspaceIncidentFile(): string | undefined {
  const folder = vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file');
  return folder ? incidentFilePath(folder.uri.fsPath) : undefined;
}

export function registerSidebar(context: vscode.ExtensionContext, services: ExtensionServices): SidebarApi {
  const { config, connection, log, store, capabilities } = services;
  let clock: (() => Date) | undefined;
  const now = () => (clock ? clock() : new Date());
  const slaOptions = (): SlaOptions => ({
    contacts: parseContacts(config.get('contacts')),
    timeZone: config.get('incidents.timeZone'),
  });

  // ------------------------------------------------------------------ trees
  const serverCapabilities = (client: SolvereignClient) => capabilities.get(client);
  const sites = new SitesProvider(connection, serverCapabilities);
  context.subscriptions.push(sites, vscode.window.registerTreeDataProvider('solvereign.sites', sites));
  const runs = new RunsProvider(connection, log, () => config.get('runs.pageSize'), serverCapabilities);
  const incidents = new IncidentsProvider(connection, { now, slaOptions, filePath: workspaceIncidentFile });
  const runsView = vscode.window.createTreeView('solvereign.runs', {
    treeDataProvider: runs,
    showCollapseAll: true,
    // Two selected runs can be compared; every other command acts on the row it was invoked on.
    canSelectMany: true,
  });
  const incidentsView = vscode.window.createTreeView('solvereign.incidents', {
    treeDataProvider: incidents,
    showCollapseAll: true,
  });
  const statusBar = new StatusBarController(connection, () => openSevere(incidents.snapshot));
  context.subscriptions.push(runs, incidents, runsView, incidentsView, statusBar);

  const describeRunsView = () => {
    const m = runs.model;
    runsView.description = m
      ? `${runs.siteLabel}${m.status ? ` · ${m.status}` : ''}${m.loaded ? ` · ${m.runs.length} of ${m.total ?? '?'}` : ''}`
      : undefined;
  };
  context.subscriptions.push(runs.onDidChangeTreeData(describeRunsView));

  // ------------------------------------------------------------------ notifications
  const notifications: IncidentEvent[] = [];
  let notified: Set<string> | undefined;
  const checkIncidents = async (): Promise<IncidentEvent[]> => {
    const s = incidents.snapshot;
    if (!s) return [];
    const list: SourcedIncident[] = [
      ...s.server.incidents.map((incident) => ({ source: 'server' as const, incident })),
      ...s.workspace.incidents.map((incident) => ({ source: 'workspace' as const, incident })),
    ];
    // In memory (synchronous, so two checks never both announce the same event); persisted so a
    // window reload does not announce it again either.
    notified ??= new Set(context.workspaceState.get<string[]>(NOTIFIED_KEY, []));
    const r = incidentEvents(list, now(), notified, slaOptions());
    // A source that failed to load keeps its keys (its incidents are not gone, just unknown now).
    const failed = [s.server, s.workspace]
      .filter((x) => x.error || x.unavailable || x.unsupported)
      .map((x) => x.source);
    for (const k of notified) if (failed.some((f) => k.startsWith(`${f}:`))) r.notified.add(k);
    notified = r.notified;
    void context.workspaceState.update(NOTIFIED_KEY, [...notified]);
    const focus = (a: string | undefined) => {
      if (a) void vscode.commands.executeCommand('solvereign.incidents.focus');
    };
    for (const e of r.events) {
      notifications.push(e);
      log.info(`incidents: notify ${e.kind} ${e.incidentId}: ${e.message}`);
    }
    if (r.events.length > 2) {
      // Many at once (first load of a busy workspace): one toast; the rest is in the view and the log.
      const critical = r.events.some((e) => e.severity === 'S0' || e.kind === 'breach');
      const show = critical ? vscode.window.showErrorMessage : vscode.window.showWarningMessage;
      void show(
        `${r.events.length} incident alerts — ${r.events[0].message} (more in the Incidents view and the log)`,
        'Show Incidents',
      ).then(focus);
    } else {
      for (const e of r.events) {
        const show =
          e.severity === 'S0' || e.kind === 'breach'
            ? vscode.window.showErrorMessage
            : vscode.window.showWarningMessage;
        void show(e.message, 'Show Incidents').then(focus);
      }
    }
    return r.events;
  };
  const renderBadge = () => {
    const n = criticalOpenCount(incidents.snapshot);
    incidentsView.badge =
      n > 0 ? { value: n, tooltip: `${n} open S0/S1 incident${n === 1 ? '' : 's'}` } : undefined;
    statusBar.render();
  };
  context.subscriptions.push(
    incidents.onDidLoad(() => {
      renderBadge();
      void checkIncidents();
    }),
  );

  // ------------------------------------------------------------------ refresh
  const refreshAll = async () => {
    sites.refresh();
    await Promise.all([runs.refresh(), incidents.refresh(), statusBar.refresh()]);
    describeRunsView();
  };
  const scheduler = new RefreshScheduler(refreshAll, 250);
  // The status bar item is always shown, so the poll runs whenever the window is open: a kill switch
  // toggled elsewhere (the CLI, another operator) shows within one interval.
  const visibility = () => scheduler.setVisible(runsView.visible || incidentsView.visible || statusBar.shown);
  scheduler.setInterval(config.get('sidebar.refreshIntervalSeconds'));
  visibility();
  // The SLA countdown moves with the clock: re-render and check transitions every 30 s (no requests).
  const ticker = setInterval(() => {
    if (!incidents.snapshot) return;
    if (incidentsView.visible) incidents.rerender();
    renderBadge();
    void checkIncidents();
  }, 30_000);
  const watcher = vscode.workspace.createFileSystemWatcher('**/.claude/state/active-incidents.json');
  const fileChanged = () => void incidents.refresh();
  context.subscriptions.push(
    scheduler,
    { dispose: () => clearInterval(ticker) },
    runsView.onDidChangeVisibility(visibility),
    incidentsView.onDidChangeVisibility(visibility),
    connection.onDidChange(() => void scheduler.request()),
    config.onDidChange(['sidebar.refreshIntervalSeconds'], () =>
      scheduler.setInterval(config.get('sidebar.refreshIntervalSeconds')),
    ),
    config.onDidChange(['runs.pageSize'], () => runs.reset()),
    config.onDidChange(['contacts', 'incidents.timeZone'], () => incidents.rerender()),
    vscode.workspace.onDidChangeWorkspaceFolders(fileChanged),
    watcher,
    watcher.onDidChange(fileChanged),
    watcher.onDidCreate(fileChanged),
    watcher.onDidDelete(fileChanged),
  );
  void statusBar.refresh();

  // ------------------------------------------------------------------ the extension's own changes
  // Shown at once from the server's answer, then everything is read again.
  context.subscriptions.push(
    store.onDidMutate((m) => {
      if (m.kind === 'killSwitch') {
        statusBar.applyKillSwitch(m);
        sites.refresh();
      } else if (m.kind === 'run') {
        runs.model?.applyRun(m.runId, m);
      } else {
        void incidents.refresh();
      }
      log.info(`sidebar: ${m.kind} changed by the extension; reloading`);
      void scheduler.request();
    }),
  );

  // ------------------------------------------------------------------ commands
  let loadedIncidentCommands: IncidentCommands | undefined;
  const incidentCommands = () =>
    (loadedIncidentCommands ??= new (loadBundle<typeof import('./incidents/incidentCommands')>(
      context.extensionPath,
      LAZY_BUNDLES.incidentCommands,
    ).IncidentCommands)({
      connection,
      log,
      provider: incidents,
      filePath: workspaceIncidentFile,
      now,
    }));
  const runsResult = (extra: Partial<RunsCommandResult> = {}): RunsCommandResult => {
    const m = runs.model;
    return {
      ok: !!m && !m.error,
      loaded: m?.runs.length ?? 0,
      total: m?.total,
      status: m?.status,
      mode: m?.mode,
      note: m?.pagingNote,
      message: m ? m.error : connection.describeState(),
      ...extra,
    };
  };
  const needModel = (step: string) => {
    const m = runs.model;
    if (!m) {
      const message = `${step}: ${connection.describeState()}`;
      void vscode.window.showWarningMessage(message);
    }
    return m;
  };
  const reg = (id: string, fn: (...args: never[]) => unknown) =>
    context.subscriptions.push(vscode.commands.registerCommand(id, fn as (...args: unknown[]) => unknown));

  reg('solvereign.runs.refresh', async (): Promise<RunsCommandResult> => {
    if (!needModel('Refresh runs')) return runsResult({ ok: false });
    await runs.refresh();
    return runsResult();
  });
  reg('solvereign.runs.loadMore', async (): Promise<RunsCommandResult> => {
    const m = needModel('Load more runs');
    if (!m) return runsResult({ ok: false });
    try {
      await m.loadMore();
    } catch (e) {
      void vscode.window.showErrorMessage(`Load more runs failed: ${(e as Error).message}`);
    }
    describeRunsView();
    return runsResult();
  });
  reg('solvereign.runs.filter', async (arg?: unknown): Promise<RunsCommandResult> => {
    const m = needModel('Filter runs');
    if (!m) return runsResult({ ok: false });
    let wanted: string | null | undefined =
      typeof arg === 'string'
        ? arg
        : arg && typeof arg === 'object' && 'status' in arg
          ? (arg as { status: string | null }).status
          : undefined;
    if (wanted === undefined) {
      const pick = await vscode.window.showQuickPick(
        [
          { label: 'All runs', status: null as string | null },
          ...RUN_STATUSES.map((s) => ({ label: s, status: s as string | null })),
        ].map((p) => ({
          ...p,
          picked: (p.status ?? undefined) === m.status,
          description: (p.status ?? undefined) === m.status ? 'current' : undefined,
        })),
        { title: 'Show runs with status' },
      );
      if (!pick) return runsResult();
      wanted = pick.status;
    }
    const status = !wanted || wanted === 'all' ? undefined : wanted.toUpperCase();
    if (status && !(RUN_STATUSES as readonly string[]).includes(status)) {
      const message = `Filter runs: '${wanted}' is not a run status (${RUN_STATUSES.join(', ')}).`;
      void vscode.window.showErrorMessage(message);
      return runsResult({ ok: false, message });
    }
    try {
      await m.setFilter(status as RunStatus | undefined);
    } catch (e) {
      void vscode.window.showErrorMessage(`Filter runs failed: ${(e as Error).message}`);
    }
    describeRunsView();
    return runsResult();
  });
  reg(
    'solvereign.revealRun',
    async (arg?: unknown): Promise<{ ok: boolean; runId?: string; message?: string }> => {
      const runId = runIdFromArg(arg);
      if (!runId) {
        const message = 'Reveal run: give a run id like RUN-20260113-001.';
        void vscode.window.showErrorMessage(message);
        return { ok: false, message };
      }
      const m = needModel('Reveal run');
      if (!m) return { ok: false, runId, message: connection.describeState() };
      let run = await m.ensureLoaded(runId).catch(() => undefined);
      if (!run && m.status) {
        // It may be hidden by the filter.
        await m.setFilter(undefined).catch(() => undefined);
        run = await m.ensureLoaded(runId).catch(() => undefined);
      }
      if (!run) {
        const message = `Reveal run: ${runId} is not among the ${m.runs.length} newest runs of ${runs.siteLabel}${m.error ? ` (${m.error})` : ''}.`;
        void vscode.window.showWarningMessage(message);
        return { ok: false, runId, message };
      }
      try {
        await runsView.reveal(runs.runNode(run), { select: true, focus: true, expand: false });
      } catch (e) {
        log.debug(`reveal ${runId}: ${(e as Error).message}`);
      }
      return { ok: true, runId };
    },
  );
  reg(
    'solvereign.incident.create',
    (args?: CreateIncidentArgs): Promise<IncidentResult> => incidentCommands().create(args ?? {}),
  );
  reg('solvereign.incident.updateStatus', (a?: unknown, b?: unknown) =>
    incidentCommands().updateStatus(a, b),
  );
  reg('solvereign.incident.addTimelineEntry', (a?: unknown, b?: unknown) =>
    incidentCommands().addTimelineEntry(a, b),
  );
  reg('solvereign.incident.resolve', (a?: unknown, b?: unknown) => incidentCommands().resolve(a, b));
  reg('solvereign.incidents.refresh', async () => {
    const s = await incidents.refresh();
    return {
      ok: !s.server.error && !s.workspace.error,
      server: s.server.incidents.length,
      workspace: s.workspace.incidents.length,
    };
  });
  reg('solvereign.incidents.openFile', async () => {
    const file = workspaceIncidentFile();
    if (!file) {
      void vscode.window.showWarningMessage('Open a folder first: the incident file lives in the workspace.');
      return { ok: false };
    }
    try {
      await vscode.window.showTextDocument(vscode.Uri.file(file));
      return { ok: true, path: file };
    } catch (e) {
      void vscode.window.showErrorMessage(`Could not open ${file}: ${(e as Error).message}`);
      return { ok: false, path: file };
    }
  });

  return {
    sites,
    runs,
    incidents,
    statusBar,
    views: { runs: runsView, incidents: incidentsView },
    scheduler,
    refreshAll,
    setClock(fn) {
      clock = fn;
      incidents.rerender();
      renderBadge();
    },
    now,
    checkIncidents,
    notifications,
    incidentFile: workspaceIncidentFile,
    incidentCommands,
  };
}
