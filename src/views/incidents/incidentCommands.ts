// Create / update status / add a timeline entry / resolve an incident: in the workspace file (written
// through src/incidents/workspaceIncidentStore.ts) or on the server (client.createIncident/patchIncident).
// Every step can be answered through the command's arguments (tests, other commands); what is missing
// is asked with quick picks and input boxes (never modal dialogs). Each command returns a result.
import * as vscode from 'vscode';
import {
  INCIDENT_STATUSES,
  type Incident,
  type IncidentCreate,
  type IncidentStatus,
  type IncidentType,
} from '../../api/schemas';
import type { ConnectionManager } from '../../connection/connectionManager';
import type { Logger } from '../../connection/log';
import {
  addIncident,
  draftIncident,
  type IncidentFilePatch,
  IncidentFileError,
  updateIncident,
} from '../../incidents/workspaceIncidentStore';
import type { IncidentSource } from '../../incidents/sla';
import { SEVERITIES, SEVERITY_INFO, type Severity } from '../../shared/runbook';
import type { IncidentsProvider } from './incidentsProvider';
import { incidentRefFromArg } from './incidentsModel';

export interface IncidentResult {
  ok: boolean;
  source?: IncidentSource;
  incident?: Incident;
  path?: string;
  /** Why it did not happen ('cancelled' when a prompt was dismissed). */
  reason?: 'cancelled' | 'unparseable' | 'notFound' | 'unavailable' | 'failed' | 'invalid';
  message?: string;
}

export interface CreateIncidentArgs {
  source?: IncidentSource;
  type?: IncidentType;
  severity?: Severity;
  summary?: string;
  status?: IncidentStatus;
  tenant_id?: string | null;
  assigned_to?: string | null;
}

const TYPES: { type: IncidentType; detail: string }[] = [
  { type: 'stability', detail: 'crash, outage, service down' },
  { type: 'quality', detail: 'failed tests or audits, wrong results' },
  { type: 'perf', detail: 'timeouts, memory, slowness' },
  { type: 'security', detail: 'RLS, auth, data leak' },
];

export interface IncidentCommandDeps {
  connection: ConnectionManager;
  log: Logger;
  provider: IncidentsProvider;
  filePath: () => string | undefined;
  now: () => Date;
}

export class IncidentCommands {
  constructor(private readonly d: IncidentCommandDeps) {}

  private fail(
    reason: IncidentResult['reason'],
    message: string,
    extra: Partial<IncidentResult> = {},
  ): IncidentResult {
    this.d.log.warn(`incidents: ${message}`);
    if (reason !== 'cancelled') {
      if (reason === 'unparseable' && extra.path) {
        const file = extra.path;
        void vscode.window.showErrorMessage(message, 'Open File').then((a) => {
          if (a) void vscode.window.showTextDocument(vscode.Uri.file(file));
        });
      } else void vscode.window.showErrorMessage(message);
    }
    return { ok: false, reason, message, ...extra };
  }

  private fileError(step: string, e: unknown, file: string): IncidentResult {
    if (e instanceof IncidentFileError && e.reason !== 'io')
      return this.fail('unparseable', `${step}: ${e.message}`, { source: 'workspace', path: file });
    return this.fail('failed', `${step} failed: ${(e as Error).message}`, {
      source: 'workspace',
      path: file,
    });
  }

  private async chooseSource(given: IncidentSource | undefined): Promise<IncidentSource | undefined> {
    if (given) return given;
    const items: (vscode.QuickPickItem & { source: IncidentSource })[] = [];
    const file = this.d.filePath();
    if (file)
      items.push({
        label: 'Workspace file',
        description: '.claude/state/active-incidents.json',
        source: 'workspace',
      });
    if (this.d.connection.state === 'ready' && this.d.connection.client)
      items.push({
        label: 'Server',
        description: `${this.d.connection.active?.name ?? ''}`,
        source: 'server',
      });
    if (items.length <= 1) return items[0]?.source;
    return (await vscode.window.showQuickPick(items, { title: 'Record the incident where?' }))?.source;
  }

  async create(args: CreateIncidentArgs = {}): Promise<IncidentResult> {
    const source = await this.chooseSource(args.source);
    if (!source)
      return this.d.filePath() || this.d.connection.client
        ? { ok: false, reason: 'cancelled' }
        : this.fail(
            'unavailable',
            `Create incident: ${this.d.connection.describeState()} Or open a folder to use the workspace file.`,
          );
    const severity =
      args.severity ??
      (
        await vscode.window.showQuickPick(
          SEVERITIES.map((s) => ({
            label: s,
            description: SEVERITY_INFO[s].description,
            detail: SEVERITY_INFO[s].response,
          })),
          { title: 'Severity' },
        )
      )?.label;
    if (!severity) return { ok: false, reason: 'cancelled' };
    const type =
      args.type ??
      (
        await vscode.window.showQuickPick(
          TYPES.map((t) => ({ label: t.type, description: t.detail })),
          { title: 'Type' },
        )
      )?.label;
    if (!type) return { ok: false, reason: 'cancelled' };
    const summary =
      args.summary ??
      (await vscode.window.showInputBox({
        title: `New ${severity} incident`,
        prompt: 'Summary (what is broken, for whom)',
        validateInput: (v) =>
          v.trim().length < 1 ? 'Required' : v.length > 500 ? 'At most 500 characters' : undefined,
      }));
    if (!summary?.trim()) return { ok: false, reason: 'cancelled' };
    if (summary.length > 500)
      return this.fail('invalid', 'Create incident: the summary has more than 500 characters.');
    const create: IncidentCreate = {
      type: type as IncidentType,
      severity: severity as Severity,
      summary: summary.trim(),
      status: args.status,
      assigned_to: args.assigned_to ?? null,
    };
    let result: IncidentResult;
    if (source === 'workspace') {
      const file = this.d.filePath();
      if (!file)
        return this.fail(
          'unavailable',
          'Create incident: open a folder first (the file lives in the workspace).',
        );
      try {
        const incident = draftIncident(
          {
            ...create,
            tenant_id:
              args.tenant_id !== undefined ? args.tenant_id : (this.d.connection.client?.tenant ?? null),
          },
          { now: this.d.now(), actor: this.d.connection.session?.email ?? null },
        );
        await addIncident(file, incident);
        result = { ok: true, source, incident, path: file };
      } catch (e) {
        return this.fileError('Create incident', e, file);
      }
    } else {
      const client = this.d.connection.client;
      if (!client)
        return this.fail(
          'unavailable',
          `Create incident on the server: ${this.d.connection.describeState()}`,
        );
      try {
        const incident = await client.createIncident(create);
        result = { ok: true, source, incident };
      } catch (e) {
        return this.fail('failed', `Create incident on the server failed: ${(e as Error).message}`, {
          source,
        });
      }
    }
    this.d.log.info(`incidents: created ${result.incident?.id} (${severity}) in ${source}`);
    await this.d.provider.refresh();
    void vscode.window.showInformationMessage(
      `Incident ${result.incident?.id} (${severity}) recorded in the ${source === 'server' ? 'server' : 'workspace file'}.`,
    );
    return result;
  }

  /** The incident a command is about: its argument, or a pick among the active ones. */
  private async target(
    arg: unknown,
    title: string,
  ): Promise<{ source: IncidentSource; incident: Incident } | IncidentResult> {
    if (!this.d.provider.snapshot) await this.d.provider.refresh();
    const ref = incidentRefFromArg(arg);
    if (ref) {
      const found = this.d.provider.find(ref.id, ref.source);
      if (found) return found;
      await this.d.provider.refresh();
      return (
        this.d.provider.find(ref.id, ref.source) ??
        this.fail(
          'notFound',
          `${title}: no incident ${ref.id}${ref.source ? ` in the ${ref.source} source` : ''}.`,
        )
      );
    }
    const s = this.d.provider.snapshot;
    const all = [
      ...(s?.workspace.incidents ?? []).map((incident) => ({ source: 'workspace' as const, incident })),
      ...(s?.server.incidents ?? []).map((incident) => ({ source: 'server' as const, incident })),
    ];
    if (!all.length) return this.fail('notFound', `${title}: there are no incidents.`);
    const pick = await vscode.window.showQuickPick(
      all.map((e) => ({
        label: `${e.incident.severity} ${e.incident.summary}`,
        description: `${e.incident.id} · ${e.incident.status} · ${e.source}`,
        e,
      })),
      { title },
    );
    return pick?.e ?? { ok: false, reason: 'cancelled' };
  }

  private async patch(
    title: string,
    t: { source: IncidentSource; incident: Incident },
    patch: IncidentFilePatch,
  ): Promise<IncidentResult> {
    const actor = this.d.connection.session?.email ?? null;
    let incident: Incident;
    if (t.source === 'workspace') {
      const file = this.d.filePath();
      if (!file) return this.fail('unavailable', `${title}: no workspace folder is open.`);
      try {
        incident = await updateIncident(file, t.incident.id, { ...patch, now: this.d.now(), actor });
      } catch (e) {
        return this.fileError(title, e, file);
      }
    } else {
      const client = this.d.connection.client;
      if (!client) return this.fail('unavailable', `${title}: ${this.d.connection.describeState()}`);
      try {
        const { now: _n, actor: _a, ...body } = patch;
        incident = await client.patchIncident(t.incident.id, body);
      } catch (e) {
        return this.fail('failed', `${title} on the server failed: ${(e as Error).message}`, {
          source: 'server',
        });
      }
    }
    this.d.log.info(`incidents: ${title.toLowerCase()} ${incident.id} (${t.source})`);
    await this.d.provider.refresh();
    return {
      ok: true,
      source: t.source,
      incident,
      path: t.source === 'workspace' ? this.d.filePath() : undefined,
    };
  }

  async updateStatus(arg?: unknown, given?: unknown): Promise<IncidentResult> {
    const t = await this.target(arg, 'Update incident status');
    if ('ok' in t) return t;
    const wanted = typeof given === 'string' ? given : (given as { status?: string } | undefined)?.status;
    const status =
      wanted ??
      (
        await vscode.window.showQuickPick(
          INCIDENT_STATUSES.filter((s) => s !== t.incident.status).map((s) => ({ label: s })),
          { title: `${t.incident.id}: ${t.incident.status} ->` },
        )
      )?.label;
    if (!status) return { ok: false, reason: 'cancelled' };
    if (!(INCIDENT_STATUSES as readonly string[]).includes(status))
      return this.fail(
        'invalid',
        `Update incident status: '${status}' is not one of ${INCIDENT_STATUSES.join(', ')}.`,
      );
    return this.patch('Update incident status', t, { status: status as IncidentStatus });
  }

  async addTimelineEntry(arg?: unknown, given?: unknown): Promise<IncidentResult> {
    const t = await this.target(arg, 'Add timeline entry');
    if ('ok' in t) return t;
    const text =
      (typeof given === 'string'
        ? given
        : (given as { action?: string; text?: string } | undefined)?.action) ??
      (given as { text?: string } | undefined)?.text ??
      (await vscode.window.showInputBox({
        title: `${t.incident.id}: timeline entry`,
        prompt: 'What happened / what was done',
      }));
    if (!text?.trim()) return { ok: false, reason: 'cancelled' };
    return this.patch('Add timeline entry', t, { timeline_entry: { action: text.trim() } });
  }

  async resolve(arg?: unknown, given?: unknown): Promise<IncidentResult> {
    const t = await this.target(arg, 'Resolve incident');
    if ('ok' in t) return t;
    let rootCause: string | undefined =
      typeof given === 'string'
        ? given
        : (given as { rootCause?: string; root_cause?: string } | undefined)?.rootCause;
    rootCause ??= (given as { root_cause?: string } | undefined)?.root_cause;
    if (rootCause === undefined && given === undefined) {
      rootCause = await vscode.window.showInputBox({
        title: `Resolve ${t.incident.id}`,
        prompt: 'Root cause (optional; Escape cancels)',
        value: t.incident.root_cause ?? '',
      });
      if (rootCause === undefined) return { ok: false, reason: 'cancelled' };
    }
    const patch: IncidentFilePatch = { status: 'resolved' };
    if (rootCause?.trim()) patch.root_cause = rootCause.trim();
    return this.patch('Resolve incident', t, patch);
  }
}
