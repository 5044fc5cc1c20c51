// The report document model: what every report (audit, drift, fire drills) becomes before it is
// shown. One model, three renderers: the webview's DOM (webview-ui/render.ts), HTML for export
// (html.ts) and markdown for tickets (markdown.ts). Every string in it is plain text — renderers
// escape it — so a run note or tour name with markup can never become markup.
// zod/mini schemas: the webview validates what the host sends (and the bundle stays small).
import * as z from 'zod/mini';
import { TimelineBlock } from './timeline';

export const REPORT_KINDS = ['audit', 'drift', 'fireDrills', 'investigation', 'compare', 'timeline'] as const;
export const ReportKind = z.enum(REPORT_KINDS);
export type ReportKind = z.infer<typeof ReportKind>;

export const Tone = z.enum(['pass', 'warn', 'fail', 'info', 'neutral']);
export type Tone = z.infer<typeof Tone>;

/** What a link in a report does (the host carries it out; exports show the label only). */
export const ReportAction = z.discriminatedUnion('type', [
  /** Opens the run's input forecast at `line` (1-based), or an evidence file near `search`. */
  z.object({
    type: z.literal('openSource'),
    runId: z.string(),
    line: z.optional(z.number()),
    file: z.optional(z.string()),
    search: z.optional(z.string()),
  }),
  /** Opens another report. */
  z.object({ type: z.literal('openReport'), kind: ReportKind, runId: z.optional(z.string()) }),
  /** Runs SP-002's resolution step for a run (message to ops, L3 escalation, infrastructure checks). */
  z.object({
    type: z.literal('resolve'),
    runId: z.string(),
    resolution: z.enum(['message', 'escalate', 'infrastructure']),
  }),
]);
export type ReportAction = z.infer<typeof ReportAction>;

export const Cell = z.object({
  text: z.string(),
  tone: z.optional(Tone),
  /** Sort key when it differs from the text (numbers sort numerically). */
  sort: z.optional(z.union([z.number(), z.string()])),
  mono: z.optional(z.boolean()),
  action: z.optional(ReportAction),
});
export type Cell = z.infer<typeof Cell>;

export const Column = z.object({
  label: z.string(),
  align: z.optional(z.enum(['left', 'right', 'center'])),
  sortable: z.optional(z.boolean()),
});
export type Column = z.infer<typeof Column>;

export const Row = z.object({
  cells: z.array(Cell),
  /** The row's main action (Enter on the focused row). */
  action: z.optional(ReportAction),
});
export type Row = z.infer<typeof Row>;

export const Fact = z.object({
  label: z.string(),
  value: z.string(),
  tone: z.optional(Tone),
  mono: z.optional(z.boolean()),
});
export type Fact = z.infer<typeof Fact>;

export const ChartPoint = z.object({ x: z.string(), y: z.nullable(z.number()) });
export const ChartSeries = z.object({ name: z.string(), points: z.array(ChartPoint) });
export type ChartSeries = z.infer<typeof ChartSeries>;

export const Block = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('text'), text: z.string(), tone: z.optional(Tone) }),
  z.object({
    kind: z.literal('notice'),
    tone: Tone,
    title: z.string(),
    text: z.string(),
  }),
  z.object({ kind: z.literal('facts'), title: z.optional(z.string()), facts: z.array(Fact) }),
  /** Fact groups shown side by side (e.g. "Runbook rule" vs "Live detector (z-score)"). */
  z.object({
    kind: z.literal('columns'),
    groups: z.array(z.object({ title: z.string(), facts: z.array(Fact) })),
  }),
  z.object({
    kind: z.literal('table'),
    id: z.string(),
    caption: z.string(),
    columns: z.array(Column),
    rows: z.array(Row),
    empty: z.optional(z.string()),
  }),
  /** Free-form server text (e.g. live audit details), shown verbatim as preformatted text. */
  z.object({ kind: z.literal('pre'), title: z.optional(z.string()), text: z.string() }),
  /** Buttons that run a step (exports list their labels). */
  z.object({
    kind: z.literal('actions'),
    title: z.optional(z.string()),
    actions: z.array(
      z.object({
        label: z.string(),
        description: z.optional(z.string()),
        action: ReportAction,
        recommended: z.optional(z.boolean()),
      }),
    ),
  }),
  z.object({
    kind: z.literal('chart'),
    id: z.string(),
    title: z.string(),
    /** What the chart shows, for screen readers and exports. */
    description: z.string(),
    unit: z.optional(z.string()),
    series: z.array(ChartSeries),
    /** Horizontal reference lines (baseline, thresholds). */
    references: z.optional(z.array(z.object({ label: z.string(), y: z.number(), tone: z.optional(Tone) }))),
  }),
  /** The roster timeline (timeline.ts): drivers × week, virtualised in the webview. */
  TimelineBlock,
]);
export type Block = z.infer<typeof Block>;

export const Section = z.object({ id: z.string(), title: z.string(), blocks: z.array(Block) });
export type Section = z.infer<typeof Section>;

export const ReportDoc = z.object({
  kind: ReportKind,
  title: z.string(),
  subtitle: z.optional(z.string()),
  runId: z.optional(z.string()),
  status: z.optional(z.object({ label: z.string(), tone: Tone })),
  generatedAt: z.string(),
  /** Where the data came from: environment name, tenant/site. */
  source: z.optional(z.string()),
  sections: z.array(Section),
});
export type ReportDoc = z.infer<typeof ReportDoc>;

/** A stable, human-readable label for an action (exports and aria labels). */
export function actionLabel(a: ReportAction): string {
  if (a.type === 'resolve') return `Run the SP-002 resolution "${a.resolution}" for ${a.runId}`;
  if (a.type === 'openReport') return `Open ${a.kind} report${a.runId ? ` for ${a.runId}` : ''}`;
  if (a.line !== undefined) return `Open forecast line ${a.line} of ${a.runId}`;
  return `Open ${a.file ?? 'evidence'} of ${a.runId}`;
}
