// How a procedure command reads its arguments: an optional run (a run id, a tree node {run}, a run
// object) first, and the answers object LAST. No `vscode` here.
import { runIdFromArg } from '../shared/args';
import type { Answers } from './engine/engine';

export function isPlain(v: unknown): v is Record<string, unknown> {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** The command's arguments: an optional run (string, tree node, run object) and the answers object last. */
export function splitArgs(args: unknown[], takesRun: boolean): { runId?: string; answers?: Answers } {
  let answers: Answers | undefined;
  let rest = args;
  const last = args[args.length - 1];
  if (isPlain(last) && (args.length >= 2 || !takesRun || runIdFromArg(last) === undefined)) {
    answers = last;
    rest = args.slice(0, -1);
  }
  const runId = takesRun
    ? (runIdFromArg(rest[0]) ?? (answers ? runIdFromArg(answers.runId ?? answers.run) : undefined))
    : undefined;
  return { runId, answers };
}
