// SOLVEREIGN logs (api.log, solver.log): error codes with the runbook's meaning, run ids, an outline.
// The scanner is incremental (`push` chunks, then `finish`) so a 50 MB log read from disk is never
// held as one string, and it only regex-scans for the two token kinds it needs, which keeps it fast.
import { PROCEDURE_TITLES } from './procedures';
import { RUNBOOK_ERRORS, type RunbookErrorInfo, SEVERITY_INFO, type Severity } from '../shared/runbook';

export interface LogErrorFinding {
  /** 0-based line and UTF-16 columns. */
  line: number;
  start: number;
  end: number;
  code: string;
  info: RunbookErrorInfo | undefined;
  /** Explicit `severity=S1` on the line, else the runbook's severity, else undefined (unknown code). */
  severity: Severity | undefined;
  /** Run ids on the same line (the outline puts the error under them). */
  runIds: string[];
  /** The line's text after the code, trimmed and shortened (outline detail). */
  message: string;
}

export interface LogRunMention {
  line: number;
  start: number;
  end: number;
  runId: string;
}

export interface LogRunSummary {
  runId: string;
  firstLine: number;
  lastLine: number;
  /** End column on `lastLine`. */
  lastEnd: number;
  firstStart: number;
  mentions: number;
}

export interface LogAnalysis {
  lines: number;
  errors: LogErrorFinding[];
  runs: Map<string, LogRunSummary>;
  /** Capped at `maxRunMentions` (document links); `runMentionsTotal` counts them all. */
  runMentions: LogRunMention[];
  runMentionsTotal: number;
}

// `ERR_` then upper-case words/digits (`ERR_DB_001`); run ids as the contract writes them
// (`RUN-20260113-001`) and any other `RUN-` + alphanumerics with at least one digit.
const TOKEN_RE = /\bERR_[A-Z0-9]+(?:_[A-Z0-9]+)*\b|\bRUN-(?=[A-Za-z0-9-]*\d)[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*/g;
const SEVERITY_RE = /\bseverity["']?\s*[=:]\s*["']?(S[0-3])\b/i;
const MESSAGE_MAX = 120;
export const MAX_RUN_MENTIONS = 10_000;

/** Incremental scanner: feed text in any chunking, read `analysis` after `finish()`. */
export class LogScanner {
  private line = 0;
  private carry = '';
  private readonly result: LogAnalysis = {
    lines: 0,
    errors: [],
    runs: new Map(),
    runMentions: [],
    runMentionsTotal: 0,
  };

  constructor(private readonly maxRunMentions = MAX_RUN_MENTIONS) {}

  push(chunk: string): void {
    if (!chunk) return;
    const text = this.carry ? this.carry + chunk : chunk;
    const lastNl = text.lastIndexOf('\n');
    if (lastNl < 0) {
      this.carry = text;
      return;
    }
    this.carry = text.slice(lastNl + 1);
    this.scan(text, lastNl + 1);
  }

  finish(): LogAnalysis {
    if (this.carry) {
      this.scan(this.carry, this.carry.length);
      this.carry = '';
      this.line++;
    }
    this.result.lines = this.line;
    return this.result;
  }

  /** Scans text[0, end): whole lines, each ending with \n (or the final carry). */
  private scan(text: string, end: number): void {
    let lineStart = 0;
    let nextNl = text.indexOf('\n');
    TOKEN_RE.lastIndex = 0;
    let explicitLine = -1;
    let explicit: Severity | undefined;
    let lineErrors: LogErrorFinding[] = [];
    let lineRuns: string[] = [];
    const flushLine = () => {
      for (const e of lineErrors) e.runIds = lineRuns;
      lineErrors = [];
      lineRuns = [];
    };
    for (let m = TOKEN_RE.exec(text); m && m.index < end; m = TOKEN_RE.exec(text)) {
      // Advance to the line holding the match.
      let moved = false;
      while (nextNl >= 0 && nextNl < m.index) {
        lineStart = nextNl + 1;
        nextNl = text.indexOf('\n', lineStart);
        this.line++;
        moved = true;
      }
      if (moved) flushLine();
      const col = m.index - lineStart;
      const token = m[0];
      if (token.charCodeAt(0) === 69 /* E */) {
        const lineEnd = nextNl < 0 ? end : nextNl;
        const lineText = text.slice(lineStart, lineEnd);
        const info: RunbookErrorInfo | undefined = RUNBOOK_ERRORS[token];
        if (explicitLine !== this.line) {
          explicitLine = this.line;
          explicit = SEVERITY_RE.exec(lineText)?.[1]?.toUpperCase() as Severity | undefined;
        }
        const finding: LogErrorFinding = {
          line: this.line,
          start: col,
          end: col + token.length,
          code: token,
          info,
          severity: explicit ?? info?.severity,
          runIds: [],
          message: shorten(lineText.slice(col + token.length)),
        };
        lineErrors.push(finding);
        this.result.errors.push(finding);
      } else {
        const runId = token;
        if (!lineRuns.includes(runId)) lineRuns.push(runId);
        this.result.runMentionsTotal++;
        if (this.result.runMentions.length < this.maxRunMentions) {
          this.result.runMentions.push({ line: this.line, start: col, end: col + token.length, runId });
        }
        const run = this.result.runs.get(runId);
        if (run) {
          run.mentions++;
          run.lastLine = this.line;
          run.lastEnd = col + token.length;
        } else {
          this.result.runs.set(runId, {
            runId,
            firstLine: this.line,
            firstStart: col,
            lastLine: this.line,
            lastEnd: col + token.length,
            mentions: 1,
          });
        }
      }
    }
    flushLine();
    // Count the remaining newlines of this block.
    while (nextNl >= 0 && nextNl < end) {
      this.line++;
      nextNl = text.indexOf('\n', nextNl + 1);
    }
  }
}

function shorten(s: string): string {
  const t = s
    .replace(/^[\s:\]\-|,;=]+/, '')
    .replace(/\r$/, '')
    .trim();
  return t.length > MESSAGE_MAX ? `${t.slice(0, MESSAGE_MAX - 1)}…` : t;
}

export function analyzeLog(text: string): LogAnalysis {
  const s = new LogScanner();
  s.push(text);
  return s.finish();
}

/** LSP DiagnosticSeverity numbers: S0/S1 error, S2 warning, S3 information; unknown codes: information. */
export function diagnosticSeverity(severity: Severity | undefined): 1 | 2 | 3 {
  if (severity === 'S0' || severity === 'S1') return 1;
  if (severity === 'S2') return 2;
  return 3;
}

export function errorMessage(f: LogErrorFinding): string {
  if (!f.info)
    return `${f.code}: not in the runbook's error code reference${f.severity ? ` (${f.severity})` : ''}.`;
  const proc = f.info.procedure ? ` Follow ${f.info.procedure} (${PROCEDURE_TITLES[f.info.procedure]}).` : '';
  return `${f.code} ${f.info.description} [${f.severity}]: ${f.info.action}.${proc}`;
}

/** Markdown hover for an error code. */
export function errorHover(code: string, severityOverride?: Severity): string {
  const info = RUNBOOK_ERRORS[code];
  if (!info) {
    return `**${code}**\n\nNot in the runbook's error code reference (SUPPORT_RUNBOOK.md, appendix).`;
  }
  const sev = severityOverride ?? info.severity;
  const parts = [
    `**${info.code}** — ${info.description}`,
    '',
    `| | |\n|---|---|\n| Severity | ${sev}${severityOverride && severityOverride !== info.severity ? ` (runbook: ${info.severity})` : ''} — ${SEVERITY_INFO[sev].description}; ${SEVERITY_INFO[sev].response.toLowerCase()} |\n| Action | ${info.action} |` +
      (info.procedure ? `\n| Procedure | ${info.procedure}: ${PROCEDURE_TITLES[info.procedure]} |` : '') +
      (info.httpStatus ? `\n| HTTP status | ${info.httpStatus} |` : ''),
  ];
  return parts.join('\n');
}
