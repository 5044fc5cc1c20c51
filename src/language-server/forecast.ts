// Language features of the forecast language, computed from the roster parser's output (the parser in
// src/roster is the single source of truth for what a line means; nothing here re-parses tours).
// Pure functions over a parsed document so they can be tested and benchmarked without a connection.
import {
  type CodeAction,
  CodeActionKind,
  type CodeLens,
  type CompletionItem,
  CompletionItemKind,
  type Diagnostic,
  type DiagnosticRelatedInformation,
  DiagnosticSeverity,
  type DocumentSymbol,
  type Hover,
  MarkupKind,
  type Range,
  SymbolKind,
  type TextEdit,
} from 'vscode-languageserver/node';
import { COMMANDS, type ForecastDaySummary, type ForecastSummary } from '../language/protocol';
import type { ForecastParseCache } from './incremental';
import {
  DAY_ABBREVIATIONS,
  DAY_NAMES,
  declaredWeek,
  FORECAST_ISSUES,
  type ForecastLine,
  type ForecastTour,
  formatMinutes,
  isForecastCsv,
  type ParsedForecast,
  parseForecast,
  parseForecastCsv,
  suggestDay,
} from '../roster';

export const SOURCE = 'solvereign';
export const DUPLICATE_CODE = 'DUPLICATE_TOUR';
export const DAY_TOTAL_CODE = 'DAY_TOTAL';
/** Related locations listed per duplicate line. */
const MAX_RELATED = 10;

export interface ForecastDoc {
  uri: string;
  parsed: ParsedForecast;
  /** 0-based line -> the lines (1-based) it duplicates, for tour lines that have duplicates. */
  duplicateOf: Map<number, number[]>;
}

/** `cache` (one per document) reuses the previous version's line results while typing. */
export function analyzeForecast(uri: string, text: string, cache?: ForecastParseCache): ForecastDoc {
  // The CSV form goes through the engine's CSV reader (whole file: its header names the columns).
  const parsed = isForecastCsv(text)
    ? parseForecastCsv(text)
    : cache
      ? cache.parse(text)
      : parseForecast(text);
  const duplicateOf = new Map<number, number[]>();
  for (const d of parsed.duplicates) for (const l of d.lines) duplicateOf.set(l - 1, d.lines);
  return { uri, parsed, duplicateOf };
}

const range = (line: number, start: number, end: number): Range => ({
  start: { line, character: start },
  end: { line, character: end },
});

/** The non-blank extent of a line (the whole line when it is blank). */
function contentRange(l: ForecastLine): Range {
  const start = l.text.length - l.text.trimStart().length;
  return range(l.line - 1, start, l.text.trimEnd().length);
}

function hours(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m ? `${h} h ${String(m).padStart(2, '0')} min` : `${h} h`;
}

function decimalHours(minutes: number): string {
  return `${(minutes / 60).toFixed(1)} h`;
}

// ---------------------------------------------------------------- diagnostics

export function forecastDiagnostics(doc: ForecastDoc): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const l of doc.parsed.lines) {
    for (const issue of l.issues) {
      out.push({
        range: range(l.line - 1, issue.range.start, issue.range.end),
        severity: issue.severity === 'FAIL' ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
        code: issue.code,
        source: SOURCE,
        message: issue.message,
      });
    }
  }
  for (const d of doc.parsed.duplicates) {
    for (const line of d.lines) {
      const l = doc.parsed.lines[line - 1]!;
      // Capped: a line repeated n times would otherwise cost n² related entries.
      const shown: number[] = [];
      for (const x of d.lines) {
        if (shown.length === MAX_RELATED) break;
        if (x !== line) shown.push(x);
      }
      const otherCount = d.lines.length - 1;
      const related: DiagnosticRelatedInformation[] = shown.map((o) => ({
        location: { uri: doc.uri, range: contentRange(doc.parsed.lines[o - 1]!) },
        message: `Same tour on line ${o}`,
      }));
      const where =
        otherCount > shown.length
          ? `${shown.join(', ')} and ${otherCount - shown.length} more`
          : shown.join(', ');
      out.push({
        range: contentRange(l),
        severity: DiagnosticSeverity.Warning,
        code: DUPLICATE_CODE,
        source: SOURCE,
        message: `Duplicate tour line "${d.canonical}" (also on line${otherCount > 1 ? 's' : ''} ${where}); write the count once instead.`,
        relatedInformation: related,
      });
    }
  }
  for (const day of dayTotals(doc.parsed)) {
    const l = doc.parsed.lines[day.firstLine - 1]!;
    const start = l.text.length - l.text.trimStart().length;
    const word = /^\S+/.exec(l.text.slice(start))?.[0] ?? '';
    out.push({
      range: range(l.line - 1, start, start + word.length),
      severity: DiagnosticSeverity.Hint,
      code: DAY_TOTAL_CODE,
      source: SOURCE,
      message: `${DAY_NAMES[day.day - 1]}: ${day.tours} tour${day.tours === 1 ? '' : 's'}, ${decimalHours(day.workMinutes)} work on ${day.lines} line${day.lines === 1 ? '' : 's'}.`,
    });
  }
  return out;
}

interface DayTotal {
  day: number;
  tours: number;
  workMinutes: number;
  lines: number;
  firstLine: number;
  lastLine: number;
  tourList: ForecastTour[];
}

export function dayTotals(parsed: ParsedForecast): DayTotal[] {
  const days = new Map<number, DayTotal>();
  for (const t of parsed.tours) {
    let d = days.get(t.day);
    if (!d) {
      d = {
        day: t.day,
        tours: 0,
        workMinutes: 0,
        lines: 0,
        firstLine: t.line,
        lastLine: t.line,
        tourList: [],
      };
      days.set(t.day, d);
    }
    d.tours += t.count;
    d.workMinutes += t.workMinutes * t.count;
    d.lines++;
    d.lastLine = t.line;
    d.tourList.push(t);
  }
  return [...days.values()].sort((a, b) => a.day - b.day);
}

// ---------------------------------------------------------------- hover

export function forecastHover(doc: ForecastDoc, line: number, character: number): Hover | null {
  const l = doc.parsed.lines[line];
  if (!l) return null;
  if (l.tour && l.canonical) {
    const t = l.tour;
    const partsText = t.parts.map((p) => `${formatMinutes(p.start)}–${formatMinutes(p.end)}`).join(' + ');
    const breakMinutes = t.split ? t.parts[1]!.start - t.parts[0]!.end : 0;
    const rows = [
      ['Duration', `${hours(t.spanMinutes)} (${partsText})`],
      [
        'Work',
        `${hours(t.workMinutes)} per tour${t.split ? ` (split break of ${hours(breakMinutes)} not counted)` : ''}`,
      ],
      [
        'Count',
        `${t.count} tour${t.count === 1 ? '' : 's'} · ${decimalHours(t.workMinutes * t.count)} work in total`,
      ],
      [
        'Crosses midnight',
        t.crossesMidnight ? `yes — ends ${DAY_ABBREVIATIONS[t.day % 7]} ${formatMinutes(t.end)}` : 'no',
      ],
    ];
    if (t.depot) rows.push(['Depot', t.depot]);
    if (l.notes) rows.push(['Notes', l.notes]);
    const dup = doc.duplicateOf.get(line);
    if (dup) {
      const list =
        dup.length > MAX_RELATED
          ? `${dup.slice(0, MAX_RELATED).join(', ')} and ${dup.length - MAX_RELATED} more`
          : dup.join(', ');
      rows.push(['Duplicate', `same tour on lines ${list}`]);
    }
    const value = [
      `**${DAY_NAMES[t.day - 1]}** · verdict ${l.verdict}`,
      '',
      '| | |',
      '|---|---|',
      ...rows.map(([k, v]) => `| ${k} | ${escapeCell(v!)} |`),
      '',
      `Canonical: \`${l.canonical}\``,
    ].join('\n');
    return { contents: { kind: MarkupKind.Markdown, value }, range: contentRange(l) };
  }
  if (l.kind === 'invalid' && l.issues.length) {
    const here = l.issues.filter((i) => character >= i.range.start && character <= i.range.end);
    const issues = here.length ? here : l.issues;
    const value = issues
      .map((i) => `**${i.code}** (${i.severity}) — ${FORECAST_ISSUES[i.code].description}\n\n${i.message}`)
      .join('\n\n---\n\n');
    return { contents: { kind: MarkupKind.Markdown, value }, range: contentRange(l) };
  }
  return null;
}

function escapeCell(s: string): string {
  return s.replace(/\|/g, '\\|');
}

// ---------------------------------------------------------------- completion

export function forecastCompletion(doc: ForecastDoc, lineText: string, character: number): CompletionItem[] {
  const before = lineText.slice(0, character);
  if (/^\s*#/.test(before)) return [];
  const words = before.trimStart().split(/\s+/);
  // The word being typed is the last entry ('' right after a space).
  if (words.length <= 1) {
    return DAY_ABBREVIATIONS.flatMap((abbr, i) => [
      {
        label: abbr,
        kind: CompletionItemKind.Keyword,
        detail: DAY_NAMES[i],
        sortText: `0${i}`,
      },
      {
        label: DAY_NAMES[i]!,
        kind: CompletionItemKind.Keyword,
        detail: `${abbr} (long form)`,
        sortText: `1${i}`,
      },
    ]);
  }
  const previous = words[words.length - 2] ?? '';
  const depots = usedDepots(doc);
  if (/^depot$/i.test(previous)) {
    return depots.map((d, i) => ({
      label: d,
      kind: CompletionItemKind.Value,
      detail: 'depot used in this file',
      sortText: String(i).padStart(4, '0'),
    }));
  }
  const items: CompletionItem[] = [
    {
      label: 'Fahrer',
      kind: CompletionItemKind.Keyword,
      detail: 'driver count, e.g. 3 Fahrer',
      sortText: /^\d+$/.test(previous) ? '0' : '1',
    },
    { label: 'Depot', kind: CompletionItemKind.Keyword, detail: 'Depot <Name>', sortText: '2' },
  ];
  for (const [i, d] of depots.entries()) {
    items.push({
      label: `Depot ${d}`,
      kind: CompletionItemKind.Value,
      detail: 'depot used in this file',
      sortText: `3${String(i).padStart(4, '0')}`,
    });
  }
  return items;
}

export function usedDepots(doc: ForecastDoc): string[] {
  const seen = new Set<string>();
  for (const t of doc.parsed.tours) if (t.depot) seen.add(t.depot);
  return [...seen].sort();
}

// ---------------------------------------------------------------- symbols

export function forecastSymbols(doc: ForecastDoc): DocumentSymbol[] {
  return dayTotals(doc.parsed).map((d) => {
    const first = doc.parsed.lines[d.firstLine - 1]!;
    const last = doc.parsed.lines[d.lastLine - 1]!;
    const children: DocumentSymbol[] = d.tourList.map((t) => {
      const l = doc.parsed.lines[t.line - 1]!;
      const r = contentRange(l);
      return {
        name: l.canonical ?? l.text.trim(),
        detail: `${decimalHours(t.workMinutes * t.count)} work`,
        kind: SymbolKind.Event,
        range: r,
        selectionRange: r,
      };
    });
    return {
      name: `${DAY_ABBREVIATIONS[d.day - 1]} — ${DAY_NAMES[d.day - 1]}`,
      detail: `${d.tours} tour${d.tours === 1 ? '' : 's'}, ${decimalHours(d.workMinutes)}`,
      kind: SymbolKind.Namespace,
      range: { start: contentRange(first).start, end: contentRange(last).end },
      selectionRange: contentRange(first),
      children,
    };
  });
}

// ---------------------------------------------------------------- formatting

/** Index of a trailing `# comment` on a tour line, or -1. */
function inlineCommentIndex(text: string): number {
  const m = /(^|\s)#/.exec(text);
  return m ? m.index + m[1]!.length : -1;
}

/** The canonical text of a line: tour lines in the parser's canonical form, others only trimmed. */
export function formatLine(l: ForecastLine): string {
  if (l.kind === 'blank') return '';
  if (l.kind !== 'tour' || !l.canonical) return l.text.trimEnd();
  let out = l.canonical;
  if (l.notes) out += ` ${l.notes.trim().split(/\s+/).join(' ')}`;
  const hash = inlineCommentIndex(l.text);
  if (hash >= 0) out += ` ${l.text.slice(hash).trim()}`;
  return out;
}

export function forecastFormatting(doc: ForecastDoc): TextEdit[] {
  const edits: TextEdit[] = [];
  for (const l of doc.parsed.lines) {
    const next = formatLine(l);
    if (next !== l.text) edits.push({ range: range(l.line - 1, 0, l.text.length), newText: next });
  }
  return edits;
}

// ---------------------------------------------------------------- code actions

/** An unpadded or malformed time the zero-pad fix can repair, with its replacement. */
const TIME_TOKEN = /(?<![\d:.])(\d{1,2})([:.]?)(\d{1,2})(?![\d:.])/g;

function padTime(raw: string): string | null {
  const m = /^(\d{1,2})([:.]?)(\d{1,2})$/.exec(raw);
  if (!m) return null;
  let [, h, sep, min] = m as unknown as [string, string, string, string];
  if (!sep) {
    // `600` / `0600` / `1430`: the last two digits are the minutes.
    const all = h + min;
    if (all.length < 3) return null;
    h = all.slice(0, all.length - 2);
    min = all.slice(-2);
  }
  if (Number(h) > 23 || Number(min) > 59) return null;
  const fixed = `${h.padStart(2, '0')}:${min.padStart(2, '0')}`;
  return fixed === raw ? null : fixed;
}

/** Zero-pad edits for the time range of one line (only inside the part before notes/comments). */
function padEdits(l: ForecastLine): TextEdit[] {
  const edits: TextEdit[] = [];
  const text = l.text;
  const hash = inlineCommentIndex(text);
  const scope = hash >= 0 ? text.slice(0, hash) : text;
  // Only the time group: from after the day word to the first word without digits/`:`/`-`/`+`.
  const m = /^\s*\S+\s+((?:[\d:.]+\s*[-\u2013+]\s*)+[\d:.]+)/.exec(scope);
  if (!m) return edits;
  const groupStart = m.index + m[0].length - m[1]!.length;
  TIME_TOKEN.lastIndex = 0;
  for (let t = TIME_TOKEN.exec(m[1]!); t; t = TIME_TOKEN.exec(m[1]!)) {
    const fixed = padTime(t[0]);
    if (fixed) {
      const s = groupStart + t.index;
      edits.push({ range: range(l.line - 1, s, s + t[0].length), newText: fixed });
    }
  }
  return edits;
}

export function forecastCodeActions(
  doc: ForecastDoc,
  requested: Range,
  diagnostics: Diagnostic[],
): CodeAction[] {
  const actions: CodeAction[] = [];
  const { uri } = doc;
  const edit = (edits: TextEdit[]) => ({ changes: { [uri]: edits } });
  for (const d of diagnostics) {
    const l = doc.parsed.lines[d.range.start.line];
    if (!l) continue;
    if (d.code === 'MISSING_DAY') {
      const word = l.text.slice(d.range.start.character, d.range.end.character);
      const abbr = word ? suggestDay(word) : undefined;
      if (abbr) {
        actions.push({
          title: `Replace "${word}" with "${abbr}"`,
          kind: CodeActionKind.QuickFix,
          diagnostics: [d],
          isPreferred: true,
          edit: edit([{ range: d.range, newText: abbr }]),
        });
      }
    } else if (d.code === DUPLICATE_CODE) {
      const lines = doc.duplicateOf.get(d.range.start.line) ?? [];
      const here = d.range.start.line + 1;
      const del = (n: number): TextEdit => ({
        range: { start: { line: n - 1, character: 0 }, end: { line: n, character: 0 } },
        newText: '',
      });
      if (lines[0] !== here) {
        actions.push({
          title: `Remove duplicate line ${here}`,
          kind: CodeActionKind.QuickFix,
          diagnostics: [d],
          isPreferred: true,
          edit: edit([del(here)]),
        });
      } else {
        const later = lines.slice(1);
        actions.push({
          title: `Remove the duplicate line${later.length > 1 ? 's' : ''} ${later.join(', ')}`,
          kind: CodeActionKind.QuickFix,
          diagnostics: [d],
          edit: edit(later.map(del)),
        });
      }
    } else if (d.code === 'INVALID_TIME_FORMAT') {
      const raw = l.text.slice(d.range.start.character, d.range.end.character);
      const fixed = padTime(raw);
      if (fixed) {
        actions.push({
          title: `Write "${raw}" as "${fixed}"`,
          kind: CodeActionKind.QuickFix,
          diagnostics: [d],
          isPreferred: true,
          edit: edit([{ range: d.range, newText: fixed }]),
        });
      }
    }
  }
  // Zero-padding valid but unpadded times (`6:00` -> `06:00`) on the requested lines, and in the file.
  for (let n = requested.start.line; n <= requested.end.line; n++) {
    const l = doc.parsed.lines[n];
    if (l?.kind !== 'tour') continue;
    const edits = padEdits(l);
    if (edits.length) {
      actions.push({
        title: 'Zero-pad the times on this line',
        kind: CodeActionKind.QuickFix,
        edit: edit(edits),
      });
      const all = doc.parsed.lines.filter((x) => x.kind === 'tour').flatMap(padEdits);
      if (all.length > edits.length) {
        actions.push({
          title: 'Zero-pad all times in the file',
          kind: CodeActionKind.QuickFix,
          edit: edit(all),
        });
      }
      break;
    }
  }
  return actions;
}

// ---------------------------------------------------------------- code lens and summary

export function forecastSummary(doc: ForecastDoc, fileName?: string): ForecastSummary {
  const p = doc.parsed;
  const days: ForecastDaySummary[] = dayTotals(p).map((d) => ({
    day: DAY_ABBREVIATIONS[d.day - 1]!,
    tours: d.tours,
    workMinutes: d.workMinutes,
  }));
  const week = declaredWeek(p.lines);
  const tourLines = p.counts.PASS + p.counts.WARN + p.counts.FAIL;
  const duplicateLines = p.duplicates.reduce((a, d) => a + d.lines.length, 0);
  const name = fileName ?? doc.uri.replace(/^.*\//, '');
  const message =
    `${decodeURIComponent(name)}: ${p.verdict} — ${p.tourCount} tour${p.tourCount === 1 ? '' : 's'} on ${tourLines} line${tourLines === 1 ? '' : 's'}; ` +
    `${p.counts.FAIL} failed, ${p.counts.WARN} warned` +
    (duplicateLines ? `; ${duplicateLines} duplicate lines` : '') +
    '.';
  return {
    uri: doc.uri,
    verdict: p.verdict,
    tours: p.tourCount,
    tourLines,
    passed: p.counts.PASS,
    warned: p.counts.WARN,
    failed: p.counts.FAIL,
    duplicateLines,
    inputHash: p.inputHash,
    days,
    week,
    message,
    failedLines: p.lines.filter((l) => l.verdict === 'FAIL').map((l) => l.line),
  };
}

export function forecastCodeLenses(doc: ForecastDoc): CodeLens[] {
  const s = forecastSummary(doc);
  const top = range(0, 0, 0);
  return [
    {
      range: top,
      command: {
        title: `Check: ${s.verdict} · ${s.tours} tours · ${s.failed} failed, ${s.warned} warned`,
        command: COMMANDS.forecastCheck,
        arguments: [doc.uri],
      },
    },
    {
      range: top,
      command: {
        // The same rule as `solve` and the API: a FAIL forecast is not solved.
        title:
          s.verdict === 'FAIL'
            ? `Solve blocked: ${s.failed} line${s.failed === 1 ? '' : 's'} FAIL (line ${s.failedLines.slice(0, 3).join(', ')}${s.failedLines.length > 3 ? ', …' : ''})`
            : 'Solve in sandbox',
        command: COMMANDS.forecastSolve,
        arguments: [doc.uri],
      },
    },
  ];
}
