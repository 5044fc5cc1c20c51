// Runbook procedures SP-001..SP-006 and the routines as guided commands on one step engine. Each
// command takes an optional answers object as its LAST argument (every question can be answered
// there: no prompts, no modal dialogs — tests and scripts) and returns a result object
// {result/verdict, steps, recordPath, record, …}. Every run leaves a record.
import * as vscode from 'vscode';
import { LAZY_BUNDLES, loadBundle } from '../bundles';
import type { ExtensionServices } from '../services';
import { isPlain, splitArgs } from './args';
import { PROCEDURES, type ProcedureEntry } from './catalog';
import type { LastRecord, ProcedureCommands } from './vscode/procedureCommands';

export type { LastRecord } from './vscode/procedureCommands';

export interface ProceduresApi {
  /** Command ids this area registers. */
  commands: readonly string[];
  lastRecord(): LastRecord | undefined;
  /** Text of the alarm status bar item while it shows. */
  alarm(): string | undefined;
  /** Procedures running right now (by command id). */
  running(): string[];
}

/** Registers the procedure commands; the engine and the flows load when the first one runs. */
export function registerProcedures(
  context: vscode.ExtensionContext,
  services: ExtensionServices,
): ProceduresApi {
  let commands: ProcedureCommands | undefined;
  const load = (): ProcedureCommands => {
    if (!commands) {
      commands = loadBundle<typeof import('./vscode/procedureCommands')>(
        context.extensionPath,
        LAZY_BUNDLES.procedures,
      ).createProcedureCommands(context, services);
      context.subscriptions.push(commands);
    }
    return commands;
  };
  const running = new Set<string>();
  const run = async (entry: ProcedureEntry, args: unknown[]) => {
    running.add(entry.id);
    try {
      return await load().run(entry, args);
    } finally {
      running.delete(entry.id);
    }
  };

  for (const entry of PROCEDURES) {
    context.subscriptions.push(
      vscode.commands.registerCommand(entry.id, (...args: unknown[]) => run(entry, args)),
    );
  }

  context.subscriptions.push(
    vscode.commands.registerCommand('solvereign.copyLastRecord', async () => {
      const last = commands?.lastRecord();
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
        ...PROCEDURES.map((e) => ({ label: e.title, description: e.description, id: e.id })),
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
    commands: [...PROCEDURES.map((e) => e.id), 'solvereign.copyLastRecord', 'solvereign.showProcedures'],
    lastRecord: () => commands?.lastRecord(),
    alarm: () => commands?.alarm(),
    running: () => [...running],
  };
}
