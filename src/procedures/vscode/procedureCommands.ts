// Running a procedure command in VS Code: the host, the progress notification, the record and the
// closing notification. Bundled alone (dist/procedures.js) with the engine and every flow; the
// activation side (../index.ts) requires it when a procedure first runs.
import * as vscode from 'vscode';
import type { ExtensionServices } from '../../services';
import { splitArgs } from '../args';
import { capabilitiesFor } from '../capabilities';
import type { ProcedureEntry } from '../catalog';
import type { ProcedureEnv } from '../context';
import { DEFINITIONS } from '../definitions';
import { type ProcedureResult, runProcedure } from '../runner';
import { VscodeProcedureHost } from './host';
import { QuickInputPrompter } from './prompter';

export interface LastRecord {
  title: string;
  markdown: string;
  path?: string;
  result: string;
}

export type CommandResult = ProcedureResult | { result: string; error: { step: string; message: string } };

export interface ProcedureCommands extends vscode.Disposable {
  run(entry: ProcedureEntry, args: unknown[]): Promise<CommandResult>;
  lastRecord(): LastRecord | undefined;
  /** Text of the alarm status bar item while it shows. */
  alarm(): string | undefined;
}

export function createProcedureCommands(
  context: vscode.ExtensionContext,
  services: ExtensionServices,
): ProcedureCommands {
  const { config, connection, log, store, capabilities } = services;
  const host = new VscodeProcedureHost(context, log, config, store);
  let last: LastRecord | undefined;

  const run = async (entry: ProcedureEntry, args: unknown[]): Promise<CommandResult> => {
    const def = DEFINITIONS[entry.id];
    if (!def) throw new Error(`no procedure definition for ${entry.id}`);
    const { runId, answers } = splitArgs(args, entry.takesRun);
    const title = def.title;
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
    try {
      return await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title, cancellable: true },
        async (progress, token) => {
          const abort = new AbortController();
          token.onCancellationRequested(() => abort.abort());
          progress.report({ message: 'what this server offers' });
          const env: ProcedureEnv = {
            client,
            capabilities: await capabilitiesFor(capabilities, client),
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
          const result = await runProcedure(def, env, {
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

  return {
    run,
    lastRecord: () => last,
    alarm: () => host.alarmText,
    dispose: () => host.dispose(),
  };
}

async function saveRecordAs(markdown: string): Promise<void> {
  const uri = await vscode.window.showSaveDialog({ filters: { Markdown: ['md'] }, saveLabel: 'Save Record' });
  if (uri) await vscode.workspace.fs.writeFile(uri, Buffer.from(markdown));
}
