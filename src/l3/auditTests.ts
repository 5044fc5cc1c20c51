// "SOLVEREIGN audits" in the Testing view: every forecast of the workspace and every opened run is a
// test item with the seven audits as children. Running one solves the input locally — with the
// built-in engine, or with the external solver command of the user's settings (never in an untrusted
// workspace) — and audits the plan; failures are test messages on the forecast lines, and an opened
// run's messages compare its KPIs (expected: the run's) with the local solve's (actual). Continuous
// runs re-run a forecast whenever it is saved.
import * as vscode from 'vscode';
import { lineRange } from '../evidence/findings';
import {
  ExternalSolverError,
  type ExternalSolver,
  type LocalAuditResult,
  runLocalAudits,
  weekFromForecast,
} from '../evidence/localAudit';
import { AUDIT_NAMES } from '../roster/audits';
import { ForecastBlockedError } from '../roster/pipeline';
import type { ExtensionServices } from '../services';
import { isoWeekId } from '../shared/isoWeek';
import { evidenceUri } from './evidenceFs';

export const CONTROLLER_ID = 'solvereign.audits';
export const FORECAST_GLOB = '**/{*.forecast,forecast*.txt,forecast*.csv}';
const MAX_MESSAGES_PER_AUDIT = 50;

/** What one run of a test item gave (the extension-host tests and "Reproduce Run Locally" read it). */
export interface AuditTestOutcome {
  item: string;
  label: string;
  solver?: 'built-in' | 'external';
  week?: string;
  /** Per audit: passed / failed / errored / skipped, with the number of messages. */
  audits: { name: string; state: 'passed' | 'failed' | 'errored' | 'skipped'; messages: number }[];
  error?: string;
  note?: string;
  ms: number;
}

interface RunSource {
  text: string;
  week: string;
  /** Where messages point: the workspace file, or the run's input in its evidence folder. */
  uri: vscode.Uri;
  /** The run's seed (opened runs): the local solve uses it. */
  seed?: number;
  /** The run's own results to compare with (opened runs only). */
  expected?: {
    kpis?: Record<string, unknown>;
    audits?: { check_name: string; status: string; violation_count: number }[];
  };
}

const nextWeek = () => isoWeekId(new Date(Date.now() + 7 * 86_400_000));

function kpiLines(
  kpis: Record<string, unknown> | undefined,
  audits?: { check_name: string; status: string; violation_count: number }[],
): string {
  const keys = [
    'headcount',
    'coverage_percent',
    'fte_ratio',
    'pt_ratio',
    'max_weekly_hours',
    'avg_weekly_hours',
    'total_tours',
    'min_changeover_minutes',
  ];
  const lines = keys
    .filter((k) => kpis && kpis[k] !== undefined)
    .map((k) => `${k}: ${JSON.stringify(kpis![k])}`);
  for (const a of audits ?? []) lines.push(`${a.check_name}: ${a.status} (${a.violation_count})`);
  return `${lines.join('\n')}\n`;
}

export class AuditTests implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private readonly runItems = new Map<string, vscode.TestItem>();
  readonly outcomes = new Map<string, AuditTestOutcome>();
  private watcher: vscode.FileSystemWatcher | undefined;

  constructor(
    private readonly controller: vscode.TestController,
    private readonly services: ExtensionServices,
  ) {}

  // ------------------------------------------------------------------ items

  private addAuditChildren(parent: vscode.TestItem, uri: vscode.Uri): void {
    for (const name of AUDIT_NAMES) {
      const child = this.controller.createTestItem(`${parent.id}#${name}`, name, uri);
      // The contract's order, not the alphabet's.
      child.sortText = String(AUDIT_NAMES.indexOf(name)).padStart(2, '0');
      parent.children.add(child);
    }
  }

  private forecastItem(uri: vscode.Uri): vscode.TestItem {
    const id = `forecast:${uri.toString()}`;
    const have = this.controller.items.get(id);
    if (have) return have;
    const item = this.controller.createTestItem(id, vscode.workspace.asRelativePath(uri), uri);
    item.description = 'forecast';
    this.addAuditChildren(item, uri);
    this.controller.items.add(item);
    return item;
  }

  private discovered: Promise<number> | undefined;
  /** Discovers once (the watcher follows from then on). */
  ensureDiscovered(): Promise<number> {
    this.discovered ??= this.discover();
    return this.discovered;
  }

  /** Finds the workspace's forecasts and follows them (called when the Testing view first asks). */
  async discover(): Promise<number> {
    if (!vscode.workspace.workspaceFolders?.length) return 0;
    const uris = await vscode.workspace.findFiles(FORECAST_GLOB, '**/node_modules/**', 500);
    for (const u of uris) this.forecastItem(u);
    if (!this.watcher) {
      this.watcher = vscode.workspace.createFileSystemWatcher(FORECAST_GLOB);
      this.disposables.push(
        this.watcher,
        this.watcher.onDidCreate((u) => this.forecastItem(u)),
        this.watcher.onDidDelete((u) => this.controller.items.delete(`forecast:${u.toString()}`)),
      );
    }
    return uris.length;
  }

  /** An opened run as a test item (its input in the evidence folder). */
  async addRun(runId: string): Promise<vscode.TestItem> {
    const have = this.runItems.get(runId);
    if (have) return have;
    const ev = await this.services.evidence.cache().get(this.services.evidence.source(), runId);
    const uri = ev.forecast ? evidenceUri(runId, ev.forecast.name) : evidenceUri(runId);
    const item = this.controller.createTestItem(`run:${runId}`, runId, uri);
    item.description = `run${ev.week ? ` · ${ev.week}` : ''}`;
    this.addAuditChildren(item, uri);
    this.controller.items.add(item);
    this.runItems.set(runId, item);
    return item;
  }

  // ------------------------------------------------------------------ running

  private externalSolver(log: (line: string) => void): ExternalSolver | undefined {
    const command = this.services.config.get('l3.externalSolver.command').trim();
    if (!command) return undefined;
    if (!vscode.workspace.isTrusted) {
      log('The external solver is not used in an untrusted workspace: solving with the built-in engine.');
      return undefined;
    }
    const args = this.services.config
      .get('l3.externalSolver.args')
      .filter((a): a is string => typeof a === 'string');
    const cwd =
      vscode.workspace.workspaceFolders?.[0]?.uri.scheme === 'file'
        ? vscode.workspace.workspaceFolders[0].uri.fsPath
        : undefined;
    return {
      command,
      args,
      timeoutMs: this.services.config.get('l3.externalSolver.timeoutSeconds') * 1000,
      ...(cwd ? { cwd } : {}),
    };
  }

  private async sourceOf(root: vscode.TestItem): Promise<RunSource> {
    if (root.id.startsWith('run:')) {
      const runId = root.id.slice(4);
      const ev = await this.services.evidence.cache().get(this.services.evidence.source(), runId);
      if (!ev.forecast)
        throw new Error(
          `The evidence pack of ${runId} holds no input forecast: there is nothing to solve locally.`,
        );
      if (!ev.week) throw new Error(`The evidence pack of ${runId} does not say its week.`);
      const seed = Number((ev.plan as { seed?: unknown } | undefined)?.seed ?? ev.manifest?.solver_seed);
      return {
        text: ev.forecast.text,
        week: ev.week,
        ...(Number.isInteger(seed) ? { seed } : {}),
        uri: evidenceUri(runId, ev.forecast.name),
        expected: { kpis: ev.kpis, audits: ev.audits },
      };
    }
    const uri = root.uri!;
    // The editor's text when open (unsaved edits count), else the file.
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    const text = open
      ? open.getText()
      : Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8');
    return { text, week: weekFromForecast(text) ?? nextWeek(), uri };
  }

  /** Runs one root item's audits (all children, or the ones asked for). */
  private async runRoot(
    run: vscode.TestRun,
    root: vscode.TestItem,
    wanted: readonly vscode.TestItem[],
    token: vscode.CancellationToken,
  ): Promise<AuditTestOutcome> {
    const started = Date.now();
    const children = wanted;
    for (const c of children) run.started(c);
    const outcome: AuditTestOutcome = { item: root.id, label: root.label, audits: [], ms: 0 };
    const out = (line: string) => run.appendOutput(`${line.replace(/\n/g, '\r\n')}\r\n`, undefined, root);
    const abort = new AbortController();
    const sub = token.onCancellationRequested(() => abort.abort());
    try {
      const src = await this.sourceOf(root);
      const external = this.externalSolver(out);
      outcome.week = src.week;
      out(
        `${root.label}: solving week ${src.week} with ${external ? `the external solver ${external.command}` : 'the built-in engine'}`,
      );
      let result: LocalAuditResult;
      try {
        result = await runLocalAudits(src.text, {
          week: src.week,
          ...(src.seed !== undefined ? { seed: src.seed } : {}),
          ...(external ? { external } : {}),
          signal: abort.signal,
        });
      } catch (e) {
        if (e instanceof ForecastBlockedError) {
          const messages = e.gate.failed_lines.map((l) => {
            const m = new vscode.TestMessage(
              `Line ${l.line}: ${l.messages.join(' ')} (${l.codes.join(', ')})`,
            );
            m.location = new vscode.Location(src.uri, this.range(src.text, l.line));
            return m;
          });
          for (const c of children) run.errored(c, messages);
          outcome.error = e.message;
          outcome.audits = children.map((c) => ({
            name: c.label,
            state: 'errored',
            messages: messages.length,
          }));
          return outcome;
        }
        throw e;
      }
      outcome.solver = result.solver;
      if (result.stderr) out(`solver stderr:\n${result.stderr.trimEnd()}`);
      out(`${result.kpis.headcount} drivers for ${result.tours.length} tours in ${result.ms} ms`);
      const runFailed = (src.expected?.audits ?? [])
        .filter((a) => a.status === 'FAIL')
        .map((a) => a.check_name);
      const stillFailing = runFailed.filter((n) =>
        result.audits.some((a) => a.check_name === n && a.status === 'FAIL'),
      );
      if (runFailed.length && stillFailing.length < runFailed.length) {
        outcome.note = `Does not reproduce here: the run FAILed ${runFailed.join(', ')}; the local solve (${result.solver}${src.seed !== undefined ? `, seed ${src.seed}` : ''}) FAILs ${stillFailing.join(', ') || 'nothing'}. The run's solver configuration may differ (see its manifest and plan.json).`;
        out(outcome.note);
      }
      for (const c of children) {
        const audit = result.audits.find((a) => a.check_name === c.label);
        if (!audit) {
          run.skipped(c);
          outcome.audits.push({ name: c.label, state: 'skipped', messages: 0 });
          continue;
        }
        if (audit.status !== 'FAIL') {
          if (audit.status === 'WARN') out(`${audit.check_name} WARN: ${audit.details.message}`);
          run.passed(c, result.ms);
          outcome.audits.push({ name: c.label, state: 'passed', messages: 0 });
          continue;
        }
        const messages: vscode.TestMessage[] = [];
        const findings = result.findings.filter((f) => f.audit === audit.check_name);
        if (src.expected) {
          const runAudit = src.expected.audits?.find((a) => a.check_name === audit.check_name);
          const m = vscode.TestMessage.diff(
            `${audit.check_name} FAILs locally with ${audit.violation_count} violation(s); the run had ${runAudit ? `${runAudit.status} (${runAudit.violation_count})` : 'no result'}. Expected: the run's KPIs; actual: the local solve's.`,
            kpiLines(src.expected.kpis, src.expected.audits),
            kpiLines(result.kpis as unknown as Record<string, unknown>, result.audits),
          );
          const first = findings.find((f) => f.lines.length);
          if (first) m.location = new vscode.Location(src.uri, this.range(src.text, first.lines[0]!));
          messages.push(m);
        }
        for (const f of findings.slice(0, MAX_MESSAGES_PER_AUDIT)) {
          const m = new vscode.TestMessage(`${f.code ? `${f.code}: ` : ''}${f.message}`);
          if (f.lines.length) m.location = new vscode.Location(src.uri, this.range(src.text, f.lines[0]!));
          messages.push(m);
        }
        if (!messages.length) messages.push(new vscode.TestMessage(audit.details.message));
        run.failed(c, messages, result.ms);
        outcome.audits.push({ name: c.label, state: 'failed', messages: messages.length });
      }
      return outcome;
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      const m = new vscode.TestMessage(message);
      if (e instanceof ExternalSolverError && e.stderr) out(`solver stderr:\n${e.stderr.trimEnd()}`);
      for (const c of children) run.errored(c, m);
      outcome.error = message;
      outcome.audits = children.map((c) => ({ name: c.label, state: 'errored', messages: 1 }));
      return outcome;
    } finally {
      sub.dispose();
      outcome.ms = Date.now() - started;
      this.outcomes.set(root.id, outcome);
    }
  }

  private range(text: string, line: number): vscode.Range {
    const r = lineRange(text, line);
    return new vscode.Range(r.line, r.start, r.line, r.end);
  }

  /** Groups a request's items by their root (a forecast or run) and runs each root once. */
  async run(request: vscode.TestRunRequest, token: vscode.CancellationToken): Promise<AuditTestOutcome[]> {
    await this.ensureDiscovered();
    // Each root (a forecast or run) solves once; [] = all its audits but the excluded ones.
    const roots = new Map<vscode.TestItem, vscode.TestItem[]>();
    const excluded = new Set((request.exclude ?? []).map((i) => i.id));
    const whole = new Set<vscode.TestItem>();
    for (const item of request.include ?? [...this.itemsOf()]) {
      const root = item.parent ?? item;
      if (excluded.has(root.id) || excluded.has(item.id)) continue;
      if (!item.parent) {
        whole.add(root);
        roots.set(root, []);
      } else if (!whole.has(root)) {
        roots.set(root, [...(roots.get(root) ?? []), item]);
      }
    }
    for (const root of whole) {
      const rest = [...AUDIT_NAMES]
        .map((n) => root.children.get(`${root.id}#${n}`)!)
        .filter((c) => !excluded.has(c.id));
      roots.set(root, rest);
    }
    const run = this.controller.createTestRun(request, 'SOLVEREIGN audits');
    const outcomes: AuditTestOutcome[] = [];
    try {
      for (const [root, wanted] of roots) {
        if (token.isCancellationRequested) break;
        outcomes.push(await this.runRoot(run, root, wanted, token));
      }
    } finally {
      run.end();
    }
    if (request.continuous) this.watchForSaves(request, token, [...roots.keys()]);
    return outcomes;
  }

  private *itemsOf(): Iterable<vscode.TestItem> {
    for (const [, item] of this.controller.items) yield item;
  }

  /** Continuous run: a saved forecast (of the included ones) runs again until the user stops it. */
  private watchForSaves(
    request: vscode.TestRunRequest,
    token: vscode.CancellationToken,
    roots: vscode.TestItem[],
  ): void {
    const watched = new Map(roots.filter((r) => r.uri).map((r) => [r.uri!.toString(), r]));
    const sub = vscode.workspace.onDidSaveTextDocument((doc) => {
      const root = watched.get(doc.uri.toString());
      if (!root || token.isCancellationRequested) return;
      void this.run(new vscode.TestRunRequest([root], undefined, request.profile, false), token);
    });
    const done = token.onCancellationRequested(() => {
      sub.dispose();
      done.dispose();
    });
    this.disposables.push(sub, done);
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
