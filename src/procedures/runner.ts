// Runs one procedure: the steps through the engine, then the verdict, the server's audit events of
// the run's time window, and the record (saved into the records folder, or kept in memory). No
// `vscode` here.
import { SolvereignApiError } from '../api/errors';
import type { ProcedureEnv } from './context';
import {
  type Answers,
  type EngineResult,
  type Prompter,
  runSteps,
  type Step,
  type StepRecord,
} from './engine/engine';
import {
  formatRecordMarkdown,
  inWindow,
  type ProcedureRecord,
  type RecordSection,
  recordFileName,
} from './engine/record';

export interface Finish {
  /** Overrides the default result (from the engine's status). */
  result?: string;
  summary?: string[];
  /** The one line a notification shows: result, code, cause and what to do. */
  headline?: string;
  sections?: RecordSection[];
  /** Extra fields of the command's result object. */
  extra?: Record<string, unknown>;
  subject?: string;
}

export interface ProcedureDef<S> {
  procedure: string;
  title: string;
  command: string;
  init(env: ProcedureEnv, input: { runId?: string; answers: Answers; scripted: boolean }): S;
  steps(env: ProcedureEnv): Step<S>[];
  finish(s: S, run: EngineResult, env: ProcedureEnv): Finish | Promise<Finish>;
  /** After the record is written (open a report, show a notice). Errors here are logged, not fatal. */
  after?(s: S, result: ProcedureResult, env: ProcedureEnv): Promise<void>;
}

export interface ProcedureResult {
  procedure: string;
  title: string;
  command: string;
  result: string;
  /** Same as result (tests and callers read either). */
  verdict: string;
  steps: StepRecord[];
  summary: string[];
  /** One line for the notification: result, code, cause and what to do. */
  headline?: string;
  recordPath?: string;
  /** The record as markdown (always; also when it could not be saved). */
  record: string;
  /** The record stayed in memory: no workspace folder, or saving failed. */
  recordInMemory: boolean;
  error?: { step: string; message: string };
  startedAt: string;
  endedAt: string;
  ms: number;
  [extra: string]: unknown;
}

export interface RunInput {
  runId?: string;
  answers?: Answers;
  prompter?: Prompter;
  onProgress?: (message: string) => void;
}

export async function runProcedure<S>(
  def: ProcedureDef<S>,
  env: ProcedureEnv,
  input: RunInput = {},
): Promise<ProcedureResult> {
  const answers = input.answers ?? {};
  const scripted = input.answers !== undefined && answers.interactive !== true;
  const state = def.init(env, { runId: input.runId, answers, scripted });
  const engine = await runSteps(def.steps(env), state, {
    title: def.title,
    answers,
    scripted,
    prompter: input.prompter,
    signal: env.signal,
    now: env.now,
    onProgress: input.onProgress ? (m) => input.onProgress?.(m) : undefined,
  });
  let fin: Finish;
  try {
    fin = await def.finish(state, engine, env);
  } catch (e) {
    fin = { summary: [`could not compute the verdict: ${e instanceof Error ? e.message : String(e)}`] };
  }
  const blocked = engine.status === 'stopped' && engine.steps.at(-1)?.status === 'blocked';
  const result =
    engine.status === 'error'
      ? (fin.result ?? 'ERROR')
      : engine.status === 'cancelled'
        ? 'CANCELLED'
        : (fin.result ?? (blocked ? 'BLOCKED' : 'DONE'));
  const summary = [...(fin.summary ?? [])];
  if (engine.error) summary.push(`Stopped at "${engine.error.step}": ${engine.error.message}`);
  if (engine.status === 'cancelled')
    summary.push('Cancelled by the user; nothing after the cancelled step was done.');

  const auditEvents = await auditWindow(env, engine.startedAt, env.now().toISOString());
  const record: ProcedureRecord = {
    procedure: def.procedure,
    title: def.title,
    command: def.command,
    result,
    summary,
    who: env.who,
    environment: env.environment,
    startedAt: engine.startedAt,
    endedAt: engine.endedAt,
    ms: engine.ms,
    steps: engine.steps,
    sections: fin.sections ?? [],
    auditEvents,
    error: engine.error,
    subject: fin.subject,
  };
  const markdown = formatRecordMarkdown(record);
  let recordPath: string | undefined;
  let saveError: string | undefined;
  try {
    recordPath = await env.host.saveFile(recordFileName(record), markdown);
  } catch (e) {
    saveError = e instanceof Error ? e.message : String(e);
  }
  const out: ProcedureResult = {
    ...(fin.extra ?? {}),
    procedure: def.procedure,
    title: def.title,
    command: def.command,
    result,
    verdict: result,
    steps: engine.steps,
    summary,
    headline: fin.headline,
    recordPath,
    record: markdown,
    recordInMemory: !recordPath,
    error: engine.error,
    startedAt: engine.startedAt,
    endedAt: engine.endedAt,
    ms: engine.ms,
  };
  if (saveError) out.recordSaveError = saveError;
  if (def.after) {
    try {
      await def.after(state, out, env);
    } catch (e) {
      out.afterError = e instanceof Error ? e.message : String(e);
    }
  }
  return out;
}

/** The server's audit events between start and end (with a second of slack for clock rounding). */
export async function auditWindow(
  env: ProcedureEnv,
  from: string,
  to: string,
): Promise<ProcedureRecord['auditEvents']> {
  const f = new Date(Date.parse(from) - 1000).toISOString();
  const t = new Date(Date.parse(to) + 1000).toISOString();
  try {
    const list = await env.client.audit({ from_date: f, to_date: t, limit: 200 }, { timeoutMs: 5000 });
    return inWindow(list.entries, f, t);
  } catch (e) {
    if (e instanceof SolvereignApiError && e.kind === 'unsupported')
      return { error: 'this server has no audit trail endpoint' };
    return { error: e instanceof Error ? e.message : String(e) };
  }
}
