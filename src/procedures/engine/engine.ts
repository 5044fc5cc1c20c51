// The one step engine every procedure runs on: a wizard of steps. An `ask` step takes its answer
// from the command's arguments when given, else from a prompt (QuickPick/InputBox through a
// Prompter, with Back); a `do` step does the work under progress with cancellation. Every step's
// outcome and duration is recorded. No `vscode` here: the extension supplies the Prompter.
// Like aws-toolkit's wizard, the state is snapshotted before every step and Back restores the
// snapshot of the question it returns to, so what later steps found or decided is forgotten and
// steps hidden by `when` are decided again against the restored state.
import { MIN_REASON_LENGTH as MIN_REASON } from '../../ops/reason';

export const BACK: unique symbol = Symbol('back');
export type Back = typeof BACK;

export type Answers = Record<string, unknown>;

export interface PickItem<T = unknown> {
  label: string;
  value: T;
  description?: string;
  detail?: string;
}

export interface PromptBase {
  /** "SP-003 Publish Run" */
  title: string;
  /** 1-based number of the question among the procedure's questions. */
  step: number;
  canGoBack: boolean;
}

export interface PickPrompt<T> extends PromptBase {
  placeholder?: string;
  items: PickItem<T>[];
  /** Text typed that matches no item is taken as this value (then checked like any answer). */
  acceptTyped?: (text: string) => T | undefined;
}

export interface InputPrompt extends PromptBase {
  prompt: string;
  placeholder?: string;
  value?: string;
  validate?: (value: string) => string | undefined;
}

/** Asks the user. `undefined` = dismissed (the procedure is cancelled), BACK = previous question. */
export interface Prompter {
  pick<T>(p: PickPrompt<T>): Promise<T | Back | undefined>;
  input(p: InputPrompt): Promise<string | Back | undefined>;
}

export type StepStatus = 'ok' | 'warn' | 'fail' | 'blocked' | 'skipped' | 'cancelled' | 'error';

export interface StepRecord {
  id: string;
  title: string;
  status: StepStatus;
  detail: string;
  startedAt: string;
  ms: number;
  /** Set for questions: where the answer came from. */
  answeredBy?: 'argument' | 'prompt' | 'default';
}

export interface StepOutcome {
  status?: StepStatus;
  detail?: string;
  /** End the procedure after this step (a block, a verdict that needs nothing more). */
  stop?: boolean;
}

export interface DoContext {
  signal: AbortSignal;
  /** Progress message inside a long step. */
  report(message: string): void;
  /** Adds a sub-step row to the record (e.g. each toggle of the fire drill). */
  addStep(r: Omit<StepRecord, 'startedAt'> & { startedAt?: string }): void;
}

interface StepBase<S> {
  id: string;
  title: string;
  /** The step runs only when this says so (default: always). */
  when?: (s: S) => boolean;
}

export interface AskStep<S, V = unknown> extends StepBase<S> {
  kind: 'ask';
  /** Name of the answer in the command's answers object. */
  key: string;
  /** A choice. Items may depend on what earlier steps found. */
  pick?: (s: S) => PickItem<V>[] | Promise<PickItem<V>[]>;
  placeholder?: (s: S) => string;
  /** A pick also takes typed text that matches no item (a run id not in the list). */
  acceptTyped?: (text: string, s: S) => V | undefined;
  /** Free text. */
  input?: (s: S) => { prompt: string; placeholder?: string; value?: string };
  /** Turns an argument answer into the step's value (e.g. 'yes' -> true); defaults to identity. */
  coerce?: (raw: unknown, s: S) => unknown;
  /** An error message, or undefined when the value is acceptable. */
  validate?: (value: V, s: S) => string | undefined;
  /** Used when answers were given as arguments but this one is missing (test mode, scripted runs). */
  defaultAnswer?: (s: S) => V | undefined;
  apply: (s: S, value: V) => void;
  /** How the answer reads in the record (default: the value, shortened). */
  describe?: (value: V, s: S) => string;
  /** This answer ends the procedure as cancelled (a confirmation answered "No"). */
  cancels?: (value: V, s: S) => boolean;
  /**
   * An invalid answer given as an argument is a rule the procedure refuses (e.g. REASON_REQUIRED),
   * not a usage error: the procedure stops with this outcome (the state records why).
   */
  refuse?: (problem: string, s: S) => StepOutcome;
}

export interface DoStep<S> extends StepBase<S> {
  kind: 'do';
  /** Changes server state: Back cannot cross it. */
  mutates?: boolean;
  run: (s: S, ctx: DoContext) => Promise<StepOutcome | undefined> | Promise<void>;
}

// biome-ignore lint/suspicious/noExplicitAny: steps of one procedure carry different answer types
export type Step<S> = AskStep<S, any> | DoStep<S>;

export interface EngineOptions {
  title: string;
  answers?: Answers;
  /**
   * Every question must be answered by `answers` (missing -> the step's default, else an error).
   * True when the command received an answers object.
   */
  scripted?: boolean;
  prompter?: Prompter;
  signal?: AbortSignal;
  onProgress?: (message: string, index: number, total: number) => void;
  onStep?: (r: StepRecord) => void;
  now?: () => Date;
}

export type EngineStatus = 'completed' | 'stopped' | 'cancelled' | 'error';

export interface EngineResult {
  status: EngineStatus;
  steps: StepRecord[];
  /** For 'error': which step failed and why (already in the runbook's terms when from the API). */
  error?: { step: string; message: string };
  startedAt: string;
  endedAt: string;
  ms: number;
}

export class StepError extends Error {
  constructor(
    message: string,
    readonly status: StepStatus = 'error',
  ) {
    super(message);
  }
}

export async function runSteps<S>(
  steps: readonly Step<S>[],
  state: S,
  o: EngineOptions,
): Promise<EngineResult> {
  const now = o.now ?? (() => new Date());
  const started = now();
  const t0 = performance.now();
  const answers = o.answers ?? {};
  const signal = o.signal ?? new AbortController().signal;
  /** Records per executed step index (sub-steps are attached to their parent's index). */
  const byIndex = new Map<number, StepRecord[]>();
  /** Steps executed, in order (Back pops them), each with the state as it was before it. */
  const trail: { index: number; before: S; prompted: boolean }[] = [];
  let status: EngineStatus = 'completed';
  let error: EngineResult['error'];
  const push = (i: number, r: StepRecord) => {
    const list = byIndex.get(i) ?? [];
    list.push(r);
    byIndex.set(i, list);
    o.onStep?.(r);
  };
  const askNumber = () => trail.filter((t) => steps[t.index]?.kind === 'ask').length + 1;
  /**
   * The question Back returns to: the last one the user answered in a prompt with no
   * state-changing step after it (an answer from the arguments would only be taken again).
   */
  const backTarget = (): number | undefined => {
    for (let k = trail.length - 1; k >= 0; k--) {
      const t = trail[k];
      const st = t && steps[t.index];
      if (!t || !st) continue;
      if (st.kind === 'do' && st.mutates) return undefined;
      if (st.kind === 'ask' && t.prompted) return k;
    }
    return undefined;
  };

  let i = 0;
  while (i < steps.length) {
    const step = steps[i] as Step<S>;
    if (step.when && !step.when(state)) {
      i++;
      continue;
    }
    if (signal.aborted) {
      status = 'cancelled';
      push(i, rec(step, 'cancelled', 'cancelled before this step', now(), 0));
      break;
    }
    const stepStart = now();
    const s0 = performance.now();
    const before = snapshot(state);
    if (step.kind === 'ask') {
      const has = Object.hasOwn(answers, step.key) && answers[step.key] !== undefined;
      let value: unknown;
      let by: StepRecord['answeredBy'];
      try {
        if (has || o.scripted || !o.prompter) {
          const raw = has ? answers[step.key] : step.defaultAnswer?.(state);
          if (raw === undefined) {
            throw new StepError(
              `no answer for "${step.key}" (${step.title}); pass it in the command's answers object`,
            );
          }
          value = step.coerce ? step.coerce(raw, state) : raw;
          if (step.pick) {
            const items = await step.pick(state);
            const match = items.find((it) => sameValue(it.value, value));
            if (!match && !step.validate) {
              throw new StepError(
                `answer "${step.key}" = ${short(value)} is not one of: ${items.map((it) => short(it.value)).join(', ')}`,
              );
            }
            if (match) value = match.value;
          }
          const problem = step.validate?.(value as never, state);
          if (problem && step.refuse) {
            const out = step.refuse(problem, state);
            trail.push({ index: i, before, prompted: false });
            push(i, {
              ...rec(step, out.status ?? 'blocked', out.detail ?? problem, stepStart, performance.now() - s0),
              answeredBy: has ? 'argument' : 'default',
            });
            status = 'stopped';
            break;
          }
          if (problem) throw new StepError(`answer "${step.key}" is not valid: ${problem}`);
          by = has ? 'argument' : 'default';
        } else {
          const back = backTarget();
          const base = { title: o.title, step: askNumber(), canGoBack: back !== undefined };
          let got: unknown;
          if (step.pick) {
            const items = await step.pick(state);
            got = await o.prompter.pick({
              ...base,
              items,
              placeholder: step.placeholder?.(state) ?? step.title,
              acceptTyped: step.acceptTyped ? (text) => step.acceptTyped?.(text, state) : undefined,
            });
          } else {
            const spec = step.input?.(state) ?? { prompt: step.title };
            got = await o.prompter.input({
              ...base,
              ...spec,
              validate: step.validate
                ? (v) => step.validate?.((step.coerce ? step.coerce(v, state) : v) as never, state)
                : undefined,
            });
          }
          if (got === BACK && back !== undefined) {
            const [target, ...later] = trail.splice(back);
            for (const t of [target, ...later]) if (t) byIndex.delete(t.index);
            if (target) {
              restore(state, target.before);
              i = target.index;
            }
            continue;
          }
          if (got === undefined || got === BACK) {
            status = 'cancelled';
            push(i, rec(step, 'cancelled', 'dismissed', stepStart, performance.now() - s0));
            break;
          }
          value = step.coerce ? step.coerce(got, state) : got;
          const problem = step.validate?.(value as never, state);
          if (problem) throw new StepError(`answer "${step.key}" is not valid: ${problem}`);
          by = 'prompt';
        }
      } catch (e) {
        status = 'error';
        const message = messageOf(e);
        error = { step: step.title, message };
        push(i, rec(step, 'error', message, stepStart, performance.now() - s0));
        trail.push({ index: i, before, prompted: false });
        break;
      }
      const cancelled = step.cancels?.(value as never, state) ?? false;
      if (!cancelled) step.apply(state, value as never);
      trail.push({ index: i, before, prompted: by === 'prompt' });
      push(i, {
        ...rec(
          step,
          cancelled ? 'cancelled' : 'ok',
          step.describe ? step.describe(value as never, state) : short(value),
          stepStart,
          performance.now() - s0,
        ),
        answeredBy: by,
      });
      if (cancelled) {
        status = 'cancelled';
        break;
      }
      i++;
      continue;
    }

    // a `do` step
    o.onProgress?.(step.title, i, steps.length);
    trail.push({ index: i, before, prompted: false });
    const ctx: DoContext = {
      signal,
      report: (m) => o.onProgress?.(`${step.title}: ${m}`, i, steps.length),
      addStep: (r) => push(i, { startedAt: now().toISOString(), ...r }),
    };
    try {
      const out = (await step.run(state, ctx)) ?? {};
      const st = out.status ?? 'ok';
      // Sub-steps happened inside this step: its own row closes the group (time order).
      push(i, rec(step, st, out.detail ?? '', stepStart, performance.now() - s0));
      if (signal.aborted) {
        status = 'cancelled';
        break;
      }
      if (out.stop) {
        status = 'stopped';
        break;
      }
    } catch (e) {
      const cancelled = signal.aborted || isCancel(e);
      const st: StepStatus = cancelled ? 'cancelled' : e instanceof StepError ? e.status : 'error';
      const message = cancelled ? 'cancelled' : messageOf(e);
      push(i, rec(step, st, message, stepStart, performance.now() - s0));
      if (cancelled) status = 'cancelled';
      else {
        status = 'error';
        error = { step: step.title, message };
      }
      break;
    }
    i++;
  }
  const records = trail.flatMap((t) => byIndex.get(t.index) ?? []);
  // A step that ended the run without being pushed onto the trail (cancel before it, a bad answer).
  for (const [k, list] of byIndex) if (!trail.some((t) => t.index === k)) records.push(...list);
  return {
    status,
    steps: records,
    error,
    startedAt: started.toISOString(),
    endedAt: now().toISOString(),
    ms: Math.round(performance.now() - t0),
  };
}

/** A deep copy of the state (plain data: answers and what the server said). */
export function snapshot<S>(state: S): S {
  try {
    return structuredClone(state);
  } catch {
    // A value that cannot be cloned (a function, a handle): the top level is still restored.
    return { ...state };
  }
}

/** Puts the state back to a snapshot in place (the procedure keeps its reference to the object). */
function restore<S>(state: S, before: S): void {
  const target = state as Record<string, unknown>;
  for (const k of Object.keys(target)) delete target[k];
  Object.assign(target, snapshot(before));
}

/** A value an earlier step must have set; a missing one is a clear step error, not a crash. */
export function need<T>(value: T | undefined | null, what: string): T {
  if (value === undefined || value === null)
    throw new StepError(`${what} is missing (an earlier step did not set it)`);
  return value;
}

function rec(
  step: { id: string; title: string },
  status: StepStatus,
  detail: string,
  startedAt: Date,
  ms: number,
): StepRecord {
  return {
    id: step.id,
    title: step.title,
    status,
    detail,
    startedAt: startedAt.toISOString(),
    ms: Math.round(ms),
  };
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === 'string' && typeof b === 'string') return a.toLowerCase() === b.toLowerCase();
  if (typeof a === 'boolean' && typeof b === 'string') return String(a) === b.toLowerCase();
  return false;
}

export function short(v: unknown, max = 120): string {
  const s = typeof v === 'string' ? v : (JSON.stringify(v) ?? String(v));
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function isCancel(e: unknown): boolean {
  return (
    !!e &&
    typeof e === 'object' &&
    ((e as { kind?: string }).kind === 'cancelled' || (e as { name?: string }).name === 'AbortError')
  );
}

// ---------------------------------------------------------------- common answer checks

export { MIN_REASON };

export function reasonProblem(v: unknown): string | undefined {
  if (typeof v !== 'string') return 'must be text';
  if (v.trim().length < MIN_REASON) return `at least ${MIN_REASON} characters (it goes into the audit trail)`;
  return undefined;
}

export function yesNo(raw: unknown): unknown {
  if (typeof raw === 'string') {
    const t = raw.trim().toLowerCase();
    if (['yes', 'y', 'true', '1'].includes(t)) return true;
    if (['no', 'n', 'false', '0'].includes(t)) return false;
  }
  return raw;
}

// ---------------------------------------------------------------- the confirm step

export interface ConfirmSpec<S> {
  id?: string;
  title: string;
  when?: (s: S) => boolean;
  /** Exactly what will be sent, as label/value rows (run id, action, reason, role …). */
  rows: (s: S) => [string, string][];
  /** The accepting choice: "Publish RUN-20260113-001 now". */
  go: (s: S) => string;
  /** Keeps what was shown: the state-changing step sends exactly this. */
  keep: (s: S) => void;
}

export function confirmRows(rows: readonly [string, string][]): string {
  return rows.map(([k, v]) => `${k}: ${v}`).join(' · ');
}

/**
 * The last question of every state-changing procedure. Scripted runs (an answers object, the CLI
 * with --yes) confirm by default; `confirm: false` cancels there too.
 */
export function confirmStep<S>(spec: ConfirmSpec<S>): AskStep<S, boolean> {
  return {
    kind: 'ask',
    id: spec.id ?? 'confirm',
    title: spec.title,
    key: 'confirm',
    when: spec.when,
    pick: (s) => [
      { label: spec.go(s), value: true, detail: confirmRows(spec.rows(s)) },
      { label: 'Cancel — send nothing', value: false },
    ],
    placeholder: (s) => `Sends exactly: ${confirmRows(spec.rows(s))}`,
    coerce: yesNo,
    defaultAnswer: () => true,
    cancels: (v) => v !== true,
    apply: (s) => spec.keep(s),
    describe: (v, s) =>
      `${v === true ? 'confirmed' : 'not confirmed, nothing sent'} — ${confirmRows(spec.rows(s))}`,
  };
}
