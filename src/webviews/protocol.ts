// The one message protocol between the report panel host (extension) and its webview front end
// (webview-ui/report.ts). Discriminated unions, validated with zod/mini on both sides: the webview
// validates what the host posts, the host validates what the webview posts (a webview is a browser
// page and is treated like any other untrusted input). No `vscode` import: the browser bundle
// includes this file.
import * as z from 'zod/mini';
import { ReportAction, ReportDoc, ReportKind } from '../reports/model';

export const VIEW_TYPE = 'solvereign.report';
export const PROTOCOL_VERSION = 1;

/** What a panel shows; also the state the webview keeps for restoring after a reload. */
export const PanelTarget = z.object({
  kind: ReportKind,
  runId: z.optional(z.string()),
  /** Drift: how many runs the trend covers. */
  trend: z.optional(z.number()),
  /** Compare: the run compared with `runId`. */
  otherRunId: z.optional(z.string()),
});
export type PanelTarget = z.infer<typeof PanelTarget>;

export const PanelState = z.object({ v: z.literal(PROTOCOL_VERSION), target: PanelTarget });
export type PanelState = z.infer<typeof PanelState>;

// ------------------------------------------------------------------ host -> webview
export const HostMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('loading'), title: z.string() }),
  z.object({ type: z.literal('render'), doc: ReportDoc }),
  z.object({
    type: z.literal('error'),
    title: z.string(),
    message: z.string(),
    /** What to do about it (sign in, start the sandbox, …). */
    action: z.optional(z.string()),
    retryable: z.boolean(),
  }),
  /** A short status line (e.g. "Exported to …", "Line 12 has no forecast"). */
  z.object({
    type: z.literal('status'),
    text: z.string(),
    tone: z.optional(z.enum(['info', 'warn', 'fail'])),
  }),
]);
export type HostMessage = z.infer<typeof HostMessage>;

// ------------------------------------------------------------------ webview -> host
/** What the roster timeline drew: the host and the tests check it. */
export const TimelineRendered = z.object({
  /** Driver rows the filters keep, of `total`. */
  rows: z.number(),
  total: z.number(),
  /** Row and bar elements in the DOM: virtualised, only the rows in view and a few around them. */
  domRows: z.number(),
  bars: z.number(),
  /** Bars marked with a violation. */
  violationBars: z.number(),
  /** From the render message to the first frame after the DOM was built. */
  firstPaintMs: z.optional(z.number()),
});
export type TimelineRendered = z.infer<typeof TimelineRendered>;

export const WebviewMessage = z.discriminatedUnion('type', [
  /** The script is up and listening: the host (re)sends the current state. */
  z.object({ type: z.literal('ready'), v: z.number() }),
  z.object({ type: z.literal('retry') }),
  z.object({ type: z.literal('refresh') }),
  z.object({ type: z.literal('action'), action: ReportAction }),
  z.object({ type: z.literal('export'), format: z.enum(['markdown', 'html']) }),
  /** The DOM shows the report: counts the tests and the host can check. */
  z.object({
    type: z.literal('rendered'),
    kind: z.string(),
    tables: z.number(),
    rows: z.number(),
    charts: z.number(),
    timeline: z.optional(TimelineRendered),
  }),
]);
export type WebviewMessage = z.infer<typeof WebviewMessage>;

export function parseHostMessage(data: unknown): HostMessage | undefined {
  const r = HostMessage.safeParse(data);
  return r.success ? r.data : undefined;
}

export function parseWebviewMessage(data: unknown): WebviewMessage | undefined {
  const r = WebviewMessage.safeParse(data);
  return r.success ? r.data : undefined;
}

export function parsePanelState(data: unknown): PanelState | undefined {
  const r = PanelState.safeParse(data);
  return r.success ? r.data : undefined;
}
