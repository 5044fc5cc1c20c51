// SP-005 Fire drill, as one function both the CLI and the extension run: pre-drill state must be
// enabled; disable (timed), verify disabled, enable (timed), verify enabled; PASS only if both
// toggles are under 5 s and verified. If enable fails after disable, the result says so loudly
// (`alarm`): the site is left frozen and someone must act — never a silent half-done drill.
import type { SolvereignClient } from '../api/client';
import { SolvereignApiError } from '../api/errors';
import type { FireDrill, FireDrillCreate, SystemStatus } from '../api/schemas';
import { FIRE_DRILL_TARGET_MS } from '../shared/runbook';

export type DrillStepName =
  | 'pre-check'
  | 'disable'
  | 'verify-disabled'
  | 'enable'
  | 'verify-enabled'
  | 'record';

export interface DrillStep {
  step: DrillStepName;
  ok: boolean;
  ms: number;
  detail: string;
}

export interface FireDrillOutcome {
  result: 'PASS' | 'FAIL' | 'BLOCKED';
  steps: DrillStep[];
  disableMs: number | null;
  enableMs: number | null;
  verifiedDisabled: boolean;
  verifiedEnabled: boolean;
  /** The switch was disabled and could not be re-enabled: publish/lock stay frozen. */
  alarm: boolean;
  recorded?: FireDrill;
  /** Why the drill stopped early, in the runbook's terms. */
  error?: SolvereignApiError | Error;
  startedAt: string;
}

export interface FireDrillOptions {
  reason?: string;
  /** Called after each step (progress UI, records); the drill waits for it. */
  onStep?: (s: DrillStep) => void | Promise<void>;
  signal?: AbortSignal;
  /** Record the drill on the server (default true). */
  record?: boolean;
  now?: () => Date;
}

export async function runFireDrill(
  client: SolvereignClient,
  options: FireDrillOptions = {},
): Promise<FireDrillOutcome> {
  const now = options.now ?? (() => new Date());
  const reason = options.reason ?? 'Fire drill (SP-005)';
  const out: FireDrillOutcome = {
    result: 'FAIL',
    steps: [],
    disableMs: null,
    enableMs: null,
    verifiedDisabled: false,
    verifiedEnabled: false,
    alarm: false,
    startedAt: now().toISOString(),
  };
  const step = async (s: DrillStep) => {
    out.steps.push(s);
    await options.onStep?.(s);
  };
  const timed = async <T>(fn: () => Promise<T>): Promise<[T, number]> => {
    const t0 = performance.now();
    const v = await fn();
    return [v, Math.round(performance.now() - t0)];
  };
  const call = { signal: options.signal };

  // 1. Pre-drill: publish and lock must be enabled (runbook: "Should show: publish_enabled=true, lock_enabled=true").
  let before: SystemStatus;
  try {
    const [s, ms] = await timed(() => client.status(call));
    before = s;
    const ok = s.publish_enabled && s.lock_enabled && !s.kill_switch_active;
    await step({
      step: 'pre-check',
      ok,
      ms,
      detail: ok
        ? 'publish_enabled=true, lock_enabled=true'
        : `site is not in a drillable state: kill_switch_active=${s.kill_switch_active}, publish_enabled=${s.publish_enabled}, lock_enabled=${s.lock_enabled}${s.kill_switch_reason ? ` (reason: ${s.kill_switch_reason})` : ''}`,
    });
    if (!ok) {
      out.result = 'BLOCKED';
      out.error = new Error(
        'Pre-drill check failed: the kill switch is already active. Contact the Platform Lead.',
      );
      return out;
    }
  } catch (e) {
    await step({ step: 'pre-check', ok: false, ms: 0, detail: describe(e) });
    out.result = isPermission(e) ? 'BLOCKED' : 'FAIL';
    out.error = e as Error;
    return out;
  }
  void before;

  // 2. Disable (timed) and verify.
  try {
    const [s, ms] = await timed(() =>
      client.killSwitch({ action: 'disable', mode: 'drill', reason: `${reason} — disable` }, call),
    );
    out.disableMs = ms;
    await step({ step: 'disable', ok: true, ms, detail: `kill switch active=${s.kill_switch_active}` });
  } catch (e) {
    await step({ step: 'disable', ok: false, ms: 0, detail: describe(e) });
    out.result = isPermission(e) ? 'BLOCKED' : 'FAIL';
    out.error = e as Error;
    // The disable may have reached the server before the connection broke: check, and undo if so.
    await restoreIfFrozen(client, reason, out, step, call);
    return await finish(client, out, options, step);
  }
  try {
    const [s, ms] = await timed(() => client.status(call));
    out.verifiedDisabled = s.kill_switch_active && !s.publish_enabled && !s.lock_enabled;
    await step({
      step: 'verify-disabled',
      ok: out.verifiedDisabled,
      ms,
      detail: `publish_enabled=${s.publish_enabled}, lock_enabled=${s.lock_enabled}`,
    });
  } catch (e) {
    await step({ step: 'verify-disabled', ok: false, ms: 0, detail: describe(e) });
  }

  // 3. Enable (timed) and verify. Failing here leaves the site frozen: that is the alarm.
  try {
    const [s, ms] = await timed(() =>
      client.killSwitch({ action: 'enable', mode: 'drill', reason: `${reason} — complete` }, call),
    );
    out.enableMs = ms;
    await step({ step: 'enable', ok: true, ms, detail: `kill switch active=${s.kill_switch_active}` });
  } catch (e) {
    await step({ step: 'enable', ok: false, ms: 0, detail: describe(e) });
    out.alarm = true;
    out.error = e as Error;
    out.result = 'FAIL';
    return await finish(client, out, options, step);
  }
  try {
    const [s, ms] = await timed(() => client.status(call));
    out.verifiedEnabled = !s.kill_switch_active && s.publish_enabled && s.lock_enabled;
    if (s.kill_switch_active) out.alarm = true;
    await step({
      step: 'verify-enabled',
      ok: out.verifiedEnabled,
      ms,
      detail: `publish_enabled=${s.publish_enabled}, lock_enabled=${s.lock_enabled}`,
    });
  } catch (e) {
    await step({ step: 'verify-enabled', ok: false, ms: 0, detail: describe(e) });
  }

  const fast =
    (out.disableMs ?? Infinity) < FIRE_DRILL_TARGET_MS && (out.enableMs ?? Infinity) < FIRE_DRILL_TARGET_MS;
  out.result = fast && out.verifiedDisabled && out.verifiedEnabled ? 'PASS' : 'FAIL';
  return await finish(client, out, options, step);
}

async function restoreIfFrozen(
  client: SolvereignClient,
  reason: string,
  out: FireDrillOutcome,
  step: (s: DrillStep) => Promise<void>,
  call: { signal?: AbortSignal },
): Promise<void> {
  try {
    const s = await client.status(call);
    if (!s.kill_switch_active) return;
    await client.killSwitch(
      { action: 'enable', mode: 'drill', reason: `${reason} — undo after failed disable` },
      call,
    );
    await step({ step: 'enable', ok: true, ms: 0, detail: 'restored after the failed disable' });
  } catch (e) {
    // We do not know the state: treat it as frozen.
    out.alarm = true;
    await step({
      step: 'enable',
      ok: false,
      ms: 0,
      detail: `state unknown after failed disable: ${describe(e)}`,
    });
  }
}

async function finish(
  client: SolvereignClient,
  out: FireDrillOutcome,
  options: FireDrillOptions,
  step: (s: DrillStep) => Promise<void>,
): Promise<FireDrillOutcome> {
  if (options.record === false || out.result === 'BLOCKED') return out;
  const body: FireDrillCreate = {
    started_at: out.startedAt,
    disable_ms: out.disableMs,
    enable_ms: out.enableMs,
    verified_disabled: out.verifiedDisabled,
    verified_enabled: out.verifiedEnabled,
    result: out.result === 'PASS' ? 'PASS' : 'FAIL',
    // The reason goes into the history with the drill (what it was for), then any problem.
    notes: [
      options.reason ?? 'Fire drill (SP-005)',
      out.alarm
        ? 'ALARM: enable failed after disable; publish/lock may still be frozen'
        : out.error
          ? describe(out.error)
          : undefined,
    ]
      .filter(Boolean)
      .join(' — '),
  };
  try {
    out.recorded = await client.recordFireDrill(body, { signal: options.signal });
    await step({ step: 'record', ok: true, ms: 0, detail: `recorded as ${out.recorded.id}` });
  } catch (e) {
    await step({ step: 'record', ok: false, ms: 0, detail: `not recorded on the server: ${describe(e)}` });
  }
  return out;
}

function isPermission(e: unknown): boolean {
  return e instanceof SolvereignApiError && (e.status === 403 || e.runbookCode === 'PERMISSION_DENIED');
}

function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
