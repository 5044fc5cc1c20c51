// Runbook procedures SP-001..SP-006 and the routines as guided commands on one step engine. Each
// command takes an optional answers object as its LAST argument (every question can be answered
// there: no prompts, no modal dialogs — tests and scripts) and returns a result object
// {result/verdict, steps, recordPath, record, …}. Every run leaves a record.
import * as vscode from 'vscode';
import type { ExtensionServices } from '../services';
import { isPlain, splitArgs } from './args';
import type { ProcedureEnv } from './context';
import { sp001 } from './flows/sp001';
import { sp002 } from './flows/sp002';
import { sp003Lock, sp003Publish } from './flows/sp003';
import { sp004 } from './flows/sp004';
import { sp005 } from './flows/sp005';
import { sp006Kill, sp006Recover } from './flows/sp006';
import { dailyStatus, weeklyReport } from './flows/routines';
import { type ProcedureDef, type ProcedureResult, runProcedure } from './runner';
import { VscodeProcedureHost } from './vscode/host';
import { QuickInputPrompter } from './vscode/prompter';

export interface LastRecord {
  title: string;
  markdown: string;
  path?: string;
  result: string;
}

export interface ProceduresApi {
  /** Command ids this area registers. */
  commands: readonly string[];
  lastRecord(): LastRecord | undefined;
  /** Text of the alarm status bar item while it shows. */
  alarm(): string | undefined;
  /** Procedures running right now (by command id). */
  running(): string[];
}

interface Entry {
  id: string;
  // biome-ignore lint/suspicious/noExplicitAny: each procedure has its own state type
  def: ProcedureDef<any>;
  takesRun: boolean;
  description: string;
}

const ENTRIES: Entry[] = [
  {
    id: 'solvereign.sp001.healthCheck',
    def: sp001,
    takesRun: false,
    description: 'API, readiness, status, last runs, incidents',
  },
  {
    id: 'solvereign.sp002.investigateRun',
    def: sp002,
    takesRun: true,
    description: 'Symptoms, input diff, duplicates, re-solve, escalation',
  },
  {
    id: 'solvereign.sp003.publishRun',
    def: sp003Publish,
    takesRun: true,
    description: 'Checks, reason, publish',
  },
  { id: 'solvereign.sp003.lockRun', def: sp003Lock, takesRun: true, description: 'Checks, reason, lock' },
  {
    id: 'solvereign.sp004.driftCheck',
    def: sp004,
    takesRun: true,
    description: 'Drift check, approval, baseline',
  },
  {
    id: 'solvereign.sp005.fireDrill',
    def: sp005,
    takesRun: false,
    description: 'Timed disable/enable of publish and lock',
  },
  {
    id: 'solvereign.sp006.killSwitch',
    def: sp006Kill,
    takesRun: false,
    description: 'Ops Lead / Platform Lead only',
  },
  {
    id: 'solvereign.sp006.recover',
    def: sp006Recover,
    takesRun: false,
    description: 'Platform Lead, RCA required',
  },
  {
    id: 'solvereign.routine.dailyStatus',
    def: dailyStatus,
    takesRun: false,
    description: 'SP-001 and the overnight runs',
  },
  {
    id: 'solvereign.routine.weeklyReport',
    def: weeklyReport,
    takesRun: false,
    description: 'Runs, drift, drills, incidents, SLA',
  },
];

export function registerProcedures(
  context: vscode.ExtensionContext,
  services: ExtensionServices,
): ProceduresApi {
  const { config, connection, log } = services;
  const host = new VscodeProcedureHost(context, log, config);
  context.subscriptions.push(host);
  let last: LastRecord | undefined;
  const running = new Set<string>();

  const run = async (
    entry: Entry,
    args: unknown[],
  ): Promise<ProcedureResult | { result: string; error: { step: string; message: string } }> => {
    const { runId, answers } = splitArgs(args, entry.takesRun);
    const title = entry.def.title;
    const client = connection.client;
    if (!client) {
      const message = connection.describeState();
      void vscode.window.showErrorMessage(`${title}: ${message}`);
      return {
        result: 'ERROR',
        verdict: 'ERROR',
        error: { step: 'Connection', message },
        steps: [],
      } as never;
    }
    running.add(entry.id);
    try {
      return await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title, cancellable: true },
        async (progress, token) => {
          const abort = new AbortController();
          token.onCancellationRequested(() => abort.abort());
          const env: ProcedureEnv = {
            client,
            who: { email: connection.session?.email, role: connection.role },
            environment: {
              name: connection.active?.name,
              url: connection.active?.url,
              tenant: connection.active?.tenant,
              site: connection.active?.site,
            },
            host,
            signal: abort.signal,
            now: () => new Date(),
          };
          const result = await runProcedure(entry.def, env, {
            runId,
            answers,
            prompter: new QuickInputPrompter(),
            onProgress: (m) => progress.report({ message: m }),
          });
          last = {
            title: result.title,
            markdown: result.record,
            path: result.recordPath,
            result: result.result,
          };
          log.info(`${title}: ${result.result}${result.recordPath ? ` (record ${result.recordPath})` : ''}`);
          announce(result);
          return result;
        },
      );
    } catch (e) {
      // The engine catches step errors; this is a bug or the editor failing. Still a clear message.
      const message = e instanceof Error ? e.message : String(e);
      log.error(`${title} failed: ${message}`);
      void vscode.window.showErrorMessage(`${title} failed: ${message}`);
      return { result: 'ERROR', verdict: 'ERROR', error: { step: 'internal', message }, steps: [] } as never;
    } finally {
      running.delete(entry.id);
    }
  };

  const announce = (r: ProcedureResult) => {
    const openRecord = {
      title: 'Open Record',
      run: () => {
        if (r.recordPath) void vscode.window.showTextDocument(vscode.Uri.file(r.recordPath));
        else void host.openMarkdown(r.record);
      },
    };
    if (r.recordInMemory) {
      host.notify('warn', `${r.title}: no workspace folder is open, so the record is kept in memory only.`, [
        { title: 'Save Record…', run: () => void saveRecordAs(r.record) },
        { title: 'Copy as Markdown', run: () => void vscode.env.clipboard.writeText(r.record) },
      ]);
    }
    if (r.error) {
      host.notify('error', `${r.title}: step "${r.error.step}" failed — ${r.error.message}`, [openRecord]);
    } else if (['FAIL', 'BLOCKED', 'ERROR', 'ALARM'].includes(r.result)) {
      host.notify(
        'warn',
        `${r.title}: ${r.headline ?? `${r.result}${r.summary[0] ? ` — ${r.summary[0]}` : ''}`}`,
        [openRecord],
      );
    } else if (r.result !== 'CANCELLED') {
      host.notify('info', `${r.title}: ${r.headline ?? r.result}`, [openRecord]);
    }
  };

  for (const entry of ENTRIES) {
    context.subscriptions.push(
      vscode.commands.registerCommand(entry.id, (...args: unknown[]) => run(entry, args)),
    );
  }

  context.subscriptions.push(
    vscode.commands.registerCommand('solvereign.copyLastRecord', async () => {
      if (!last) {
        void vscode.window.showInformationMessage(
          'No procedure has run yet in this window: nothing to copy.',
        );
        return { copied: false };
      }
      await vscode.env.clipboard.writeText(last.markdown);
      void vscode.window.showInformationMessage(`Record of "${last.title}" copied as markdown.`);
      return { copied: true, title: last.title, chars: last.markdown.length, recordPath: last.path };
    }),
    vscode.commands.registerCommand('solvereign.showProcedures', async (...args: unknown[]) => {
      const { answers } = splitArgs(args, false);
      const items = [
        ...ENTRIES.map((e) => ({ label: e.def.title, description: e.description, id: e.id })),
        {
          label: 'Copy Last Record as Markdown',
          description: 'for tickets',
          id: 'solvereign.copyLastRecord',
        },
      ];
      let id: string | undefined;
      if (answers && typeof answers.pick === 'string') {
        const p = answers.pick.toLowerCase();
        id = items.find(
          (i) =>
            i.id.toLowerCase() === p || i.label.toLowerCase() === p || i.label.toLowerCase().startsWith(p),
        )?.id;
        if (!id) return { picked: undefined, error: `no procedure "${answers.pick}"` };
      } else {
        const picked = await vscode.window.showQuickPick(items, {
          title: 'SOLVEREIGN Procedures',
          placeHolder: 'Runbook procedure to run',
        });
        id = picked?.id;
      }
      if (!id) return { picked: undefined };
      const inner = answers && isPlain(answers.answers) ? [answers.answers] : [];
      const runArg = answers && typeof answers.run === 'string' ? [answers.run] : [];
      return { picked: id, result: await vscode.commands.executeCommand(id, ...runArg, ...inner) };
    }),
  );

  return {
    commands: [...ENTRIES.map((e) => e.id), 'solvereign.copyLastRecord', 'solvereign.showProcedures'],
    lastRecord: () => last,
    alarm: () => host.alarmText,
    running: () => [...running],
  };
}

async function saveRecordAs(markdown: string): Promise<void> {
  const uri = await vscode.window.showSaveDialog({ filters: { Markdown: ['md'] }, saveLabel: 'Save Record' });
  if (uri) await vscode.workspace.fs.writeFile(uri, Buffer.from(markdown));
}
