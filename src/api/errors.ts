// One error type for everything that can go wrong talking to SOLVEREIGN. It keeps the HTTP status,
// the server's own code, the runbook code and the runbook's action, parsed from every error shape
// live SOLVEREIGN uses. It never carries request headers or credentials (no `cause` with the
// transport's error object: axios errors hold the Authorization header in `config`).
import type { Capability } from './capabilities';
import { LOCK_ERRORS, type LockErrorCode, RUNBOOK_ERRORS } from '../shared/runbook';
import { redact } from '../shared/redact';

export type ApiErrorKind =
  | 'http' // the server answered with an error status or a gate block
  | 'network' // no answer: refused, reset, DNS
  | 'timeout'
  | 'cancelled'
  | 'schema' // the answer did not have the contract's shape
  | 'unsupported'; // an [ops] endpoint this server does not offer (404 Not Found)

export interface FieldError {
  field: string;
  message: string;
}

export interface ApiErrorInit {
  kind: ApiErrorKind;
  endpoint: string;
  status?: number;
  serverCode?: string;
  serverMessage?: string;
  fieldErrors?: FieldError[];
  requestId?: string;
  retryAfterSeconds?: number;
  /** For 'unsupported': what to do by hand instead. */
  fallback?: string;
  /** For 'unsupported': which capability the server lacks. */
  capability?: Capability;
}

/** Marks our API errors process-wide, so `instanceof` holds across separately built bundles. */
const API_ERROR_BRAND = Symbol.for('solvereign.SolvereignApiError');

export class SolvereignApiError extends Error {
  /**
   * The extension loads procedures and reports as their own bundles, each with its own copy of this
   * class; an error thrown by the client of one bundle must still be recognised in the others.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && API_ERROR_BRAND in value;
  }
  readonly [API_ERROR_BRAND] = true;
  override readonly name = 'SolvereignApiError';
  readonly kind: ApiErrorKind;
  /** `METHOD /path` — never the full URL with a query that could carry anything sensitive. */
  readonly endpoint: string;
  readonly status?: number;
  /** The server's own code: `ERR_AUTH_002`, `INVALID_CREDENTIALS`, `VIOLATIONS_PRESENT`, … */
  readonly serverCode?: string;
  readonly serverMessage?: string;
  /** The runbook's code: `ERR_*` from the appendix, or an SP-003 lock code. */
  readonly runbookCode?: string;
  /** The runbook's action text for the code. */
  readonly action?: string;
  readonly fieldErrors: FieldError[];
  readonly requestId?: string;
  readonly retryAfterSeconds?: number;
  readonly fallback?: string;
  readonly capability?: Capability;

  constructor(init: ApiErrorInit) {
    const runbookCode = deriveRunbookCode(init);
    const action = actionFor(runbookCode, init);
    super(redact(composeMessage(init, runbookCode, action)));
    this.kind = init.kind;
    this.endpoint = init.endpoint;
    this.status = init.status;
    this.serverCode = init.serverCode;
    this.serverMessage = init.serverMessage === undefined ? undefined : redact(init.serverMessage);
    this.runbookCode = runbookCode;
    this.action = action;
    this.fieldErrors = init.fieldErrors ?? [];
    this.requestId = init.requestId;
    this.retryAfterSeconds = init.retryAfterSeconds;
    this.fallback = init.fallback;
    this.capability = init.capability;
  }

  /** The SP-003 block code when this error is a publish/lock refusal. */
  get lockCode(): LockErrorCode | undefined {
    return this.runbookCode && this.runbookCode in LOCK_ERRORS
      ? (this.runbookCode as LockErrorCode)
      : undefined;
  }

  /** Worth retrying later without changing anything. */
  get transient(): boolean {
    return (
      this.kind === 'network' ||
      this.kind === 'timeout' ||
      this.status === 429 ||
      this.status === 502 ||
      this.status === 503 ||
      this.status === 504
    );
  }

  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      kind: this.kind,
      message: this.message,
      endpoint: this.endpoint,
      status: this.status,
      serverCode: this.serverCode,
      runbookCode: this.runbookCode,
      action: this.action,
      fieldErrors: this.fieldErrors.length ? this.fieldErrors : undefined,
      requestId: this.requestId,
    };
  }
}

/** What an error body says, whatever shape it came in. */
export interface ParsedErrorBody {
  code?: string;
  message?: string;
  fieldErrors?: FieldError[];
}

/**
 * Reads every error shape SOLVEREIGN uses: `{"detail": "text"}`, `{"detail": [validation errors]}`,
 * `{"detail": {"error_code", …}}`, `{"error": "code", "message", "details"}`, and plain text.
 */
export function parseErrorBody(body: unknown): ParsedErrorBody {
  if (body === undefined || body === null || body === '') return {};
  if (typeof body === 'string') {
    const trimmed = body.trim();
    if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
      try {
        return parseErrorBody(JSON.parse(trimmed));
      } catch {
        // not JSON after all: fall through to plain text
      }
    }
    return { message: truncate(stripHtml(trimmed), 300) };
  }
  if (typeof body !== 'object') return { message: String(body) };
  const obj = body as Record<string, unknown>;
  if ('detail' in obj) {
    const detail = obj.detail;
    if (typeof detail === 'string') return { message: detail, code: codeInText(detail) };
    if (Array.isArray(detail)) {
      const fieldErrors = detail.map(validationItem);
      return {
        code: 'validation_error',
        message: fieldErrors.map((f) => (f.field ? `${f.field}: ${f.message}` : f.message)).join('; '),
        fieldErrors,
      };
    }
    if (detail && typeof detail === 'object') {
      const d = detail as Record<string, unknown>;
      const code = str(d.error_code) ?? str(d.code) ?? str(d.error);
      const message = str(d.message) ?? str(d.detail) ?? str(d.reason) ?? code;
      return { code, message };
    }
  }
  if (typeof obj.error === 'string' || typeof obj.message === 'string') {
    const code = str(obj.error) ?? str(obj.error_code) ?? str(obj.code);
    const out: ParsedErrorBody = { code, message: str(obj.message) ?? code };
    const details = obj.details;
    if (Array.isArray(details)) out.fieldErrors = details.map(validationItem);
    else if (
      details &&
      typeof details === 'object' &&
      Array.isArray((details as { fields?: unknown }).fields)
    ) {
      out.fieldErrors = ((details as { fields: unknown[] }).fields ?? []).map(validationItem);
    }
    return out;
  }
  if (typeof obj.error_code === 'string') return { code: obj.error_code, message: str(obj.message) };
  return { message: truncate(JSON.stringify(obj), 300) };
}

function validationItem(item: unknown): FieldError {
  if (item && typeof item === 'object') {
    const i = item as Record<string, unknown>;
    const loc = Array.isArray(i.loc) ? i.loc.filter((p) => p !== 'body').join('.') : (str(i.field) ?? '');
    return { field: loc, message: str(i.msg) ?? str(i.message) ?? 'invalid' };
  }
  return { field: '', message: String(item) };
}

const KNOWN_CODE_IN_TEXT =
  /\b(ERR_[A-Z]+_\d{3}|VIOLATIONS_PRESENT|VIOLATIONS_BLOCK_PUBLISH|FREEZE_WINDOW_ACTIVE)\b/;
function codeInText(text: string): string | undefined {
  return KNOWN_CODE_IN_TEXT.exec(text)?.[1];
}

/** The runbook's lock/publish code from the live signals of CONTRACT.md's mapping table. */
export function lockCodeFromSignal(signal: {
  status?: number;
  publishStatus?: string;
  serverCode?: string;
  message?: string;
  fieldErrors?: FieldError[];
}): LockErrorCode | undefined {
  const { status, publishStatus, serverCode, message = '' } = signal;
  if (serverCode && serverCode in LOCK_ERRORS) return serverCode as LockErrorCode;
  if (serverCode === 'ERR_LOCK_001') return 'ALREADY_LOCKED';
  if (serverCode === 'ERR_LOCK_002') return 'AUDIT_GATE_FAIL';
  switch (publishStatus) {
    case 'BLOCKED_PRE_CHECKS_FAILED':
      return 'AUDIT_GATE_FAIL';
    case 'ALREADY_LOCKED':
      return 'ALREADY_LOCKED';
    case 'BLOCKED_KILL_SWITCH':
    case 'BLOCKED_SITE_DISABLED':
    case 'BLOCKED_SHADOW_ONLY':
      return 'FREEZE_ACTIVE';
    case 'BLOCKED_APPROVAL_REQUIRED':
      return 'PERMISSION_DENIED';
  }
  if (status === 403) return 'PERMISSION_DENIED';
  if (status === 409) {
    if (/cannot publish run with status/i.test(message)) return 'AUDIT_GATE_FAIL';
    if (serverCode === 'VIOLATIONS_PRESENT' || serverCode === 'VIOLATIONS_BLOCK_PUBLISH')
      return 'AUDIT_GATE_FAIL';
    if (/VIOLATIONS_(PRESENT|BLOCK_PUBLISH)/.test(message)) return 'AUDIT_GATE_FAIL';
    if (serverCode === 'FREEZE_WINDOW_ACTIVE' || /FREEZE_WINDOW_ACTIVE/.test(message)) return 'FREEZE_ACTIVE';
  }
  if (status === 422) {
    if (/failed audits/i.test(message)) return 'AUDIT_GATE_FAIL';
    // Live: a short lock reason is a 422 `string_too_short` at body.reason.
    if (signal.fieldErrors?.some((f) => f.field === 'reason' || f.field.endsWith('.reason')))
      return 'REASON_REQUIRED';
    if (signal.fieldErrors?.some((f) => f.field.endsWith('approver_role')) || /approver_role/.test(message)) {
      return 'PERMISSION_DENIED';
    }
  }
  return undefined;
}

function deriveRunbookCode(init: ApiErrorInit): string | undefined {
  if (init.kind !== 'http') {
    if (init.kind === 'network') return 'ERR_DB_001' === init.serverCode ? 'ERR_DB_001' : undefined;
    return undefined;
  }
  const lock = lockCodeFromSignal({
    status: init.status,
    serverCode: init.serverCode,
    message: init.serverMessage,
    fieldErrors: init.fieldErrors,
  });
  const publishOrLock = /\/(publish|lock)$/.test(init.endpoint);
  if (lock && publishOrLock) return lock;
  // The server's own code wins where the runbook knows it (TENANT_MISMATCH is a 403 too).
  if (init.serverCode && RUNBOOK_ERRORS[init.serverCode]) return init.serverCode;
  if (lock === 'PERMISSION_DENIED') return lock;
  if (init.status === 401) return /expired/i.test(init.serverMessage ?? '') ? 'ERR_AUTH_002' : 'ERR_AUTH_001';
  if (init.status === 403) return 'PERMISSION_DENIED';
  if (init.status === 429) return 'RATE_LIMIT_EXCEEDED';
  if (init.status === 422) return 'validation_error';
  if (init.status === 404) return 'not_found';
  return undefined;
}

function actionFor(runbookCode: string | undefined, init: ApiErrorInit): string | undefined {
  if (init.kind === 'unsupported') return init.fallback;
  if (runbookCode && runbookCode in LOCK_ERRORS) return LOCK_ERRORS[runbookCode as LockErrorCode].resolution;
  if (runbookCode && RUNBOOK_ERRORS[runbookCode]) return RUNBOOK_ERRORS[runbookCode].action;
  switch (init.kind) {
    case 'network':
      return 'Check that the server is running and reachable (SP-001 health check), then retry';
    case 'timeout':
      return 'The server did not answer in time; check its health (SP-001) and retry';
    case 'schema':
      return 'The server answered in a shape this client does not know; check the server version and report it';
    default:
      if ((init.status ?? 0) >= 500) return 'Server error: check server health and logs (SP-001), then retry';
      return undefined;
  }
}

function composeMessage(init: ApiErrorInit, runbookCode?: string, action?: string): string {
  const parts: string[] = [];
  switch (init.kind) {
    case 'network':
      parts.push(
        `${init.endpoint}: no answer from the server${init.serverMessage ? ` (${init.serverMessage})` : ''}`,
      );
      break;
    case 'timeout':
      parts.push(`${init.endpoint}: timed out${init.serverMessage ? ` (${init.serverMessage})` : ''}`);
      break;
    case 'cancelled':
      parts.push(`${init.endpoint}: cancelled`);
      break;
    case 'schema':
      parts.push(`${init.endpoint} returned an unexpected answer: ${init.serverMessage ?? 'invalid shape'}`);
      break;
    case 'unsupported':
      parts.push(
        `${init.endpoint} is not offered by this server${init.serverMessage ? ` (${init.serverMessage})` : ''}`,
      );
      break;
    default: {
      const code = init.serverCode && init.serverCode !== runbookCode ? ` ${init.serverCode}` : '';
      const rb = runbookCode ? ` ${runbookCode}` : '';
      parts.push(`${init.endpoint} failed: HTTP ${init.status ?? '?'}${rb}${code}`);
      if (init.serverMessage) parts.push(`— ${init.serverMessage}`);
    }
  }
  if (action) parts.push(`Action: ${action}.`);
  return parts.join(' ');
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}
function truncate(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n)}…` : s;
}
function stripHtml(s: string): string {
  return /<[a-z][\s\S]*>/i.test(s)
    ? s
        .replace(/<[^>]+>/g, ' ')
        .replace(/\s+/g, ' ')
        .trim()
    : s;
}

/** Describes a zod issue path the way users read field names: `latest_run.status`, `runs[3].headcount`. */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out || '(root)';
}
