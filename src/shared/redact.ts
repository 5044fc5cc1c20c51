// Secrets must never reach a log line, an error message or anything thrown. Two layers: known
// secret values are replaced wherever they appear, and secret-looking patterns (bearer tokens,
// API keys, passwords, session cookies) are masked even when we were not told the value.

const MASK = '«redacted»';

const PATTERNS: readonly [RegExp, string][] = [
  [/(authorization\s*[:=]\s*"?\s*(?:bearer|basic)\s+)[^\s",;]+/gi, `$1${MASK}`],
  [/(\bbearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi, `$1${MASK}`],
  [/(x-api-key\s*[:=]\s*"?)[^\s",;]+/gi, `$1${MASK}`],
  [/((?:__Host-)?sv_platform_session=)[^\s;,"]+/gi, `$1${MASK}`],
  [
    /("?(?:password|api_key|apiKey|token|secret|refresh_token|access_token)"?\s*[:=]\s*")[^"]*(")/gi,
    `$1${MASK}$2`,
  ],
  [/\bsv_[a-z0-9]+_[a-z_]+_[A-Za-z0-9]{8,}\b/g, MASK],
  // Session tokens on their own (svs_ + 43 base64url characters), wherever they appear.
  [/\bsvs_[A-Za-z0-9_-]{16,}/g, MASK],
  // Secrets in query strings and unquoted `key=value` / `key: value` text.
  [
    /([?&;\s,(]|^)((?:api_key|apikey|api-key|access_token|refresh_token|token|password|passwd|secret)=)[^\s&#;,)"']+/gim,
    `$1$2${MASK}`,
  ],
  // «» spelled as escapes: one non-ASCII character in a regex literal (esbuild keeps those as they
  // are) makes V8 hold a whole bundle as a two-byte string, slower to decode and scan at every start.
  [/(\b(?:password|passwd)\s*:\s+)(?!["\u00ab])[^\s,;"]+/gi, `$1${MASK}`],
];

export class Redactor {
  private readonly secrets = new Set<string>();

  /** Registers a secret value; values shorter than 6 characters would mask ordinary words. */
  add(secret: string | undefined): void {
    if (secret && secret.length >= 6) this.secrets.add(secret);
  }

  remove(secret: string | undefined): void {
    if (secret) this.secrets.delete(secret);
  }

  redact(text: string): string {
    let out = text;
    for (const s of this.secrets) out = out.split(s).join(MASK);
    for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
    return out;
  }
}

/**
 * A process-wide redactor: the extension's log channel and the CLI both route through it. Kept on
 * globalThis so the extension's separately built bundles (procedures, reports) share one set of
 * known secrets.
 */
const REDACTOR_KEY = Symbol.for('solvereign.globalRedactor');
const shared = globalThis as { [REDACTOR_KEY]?: Redactor };
shared[REDACTOR_KEY] ??= new Redactor();
export const globalRedactor: Redactor = shared[REDACTOR_KEY];

export function redact(text: string): string {
  return globalRedactor.redact(text);
}

export { MASK as REDACTION_MASK };
