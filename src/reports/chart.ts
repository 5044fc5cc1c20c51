// Line-chart geometry in plain numbers: the webview turns it into SVG elements, the HTML export
// into SVG markup. No chart library (see docs/reports.md for why).
import { fmtNumber } from './format';
import type { Block, Tone } from './model';

type ChartBlock = Extract<Block, { kind: 'chart' }>;

export interface ChartGeometry {
  width: number;
  height: number;
  plot: { left: number; top: number; right: number; bottom: number };
  series: { name: string; path: string; points: { cx: number; cy: number; label: string }[] }[];
  yTicks: { y: number; label: string }[];
  /** Centred under their point; the plot leaves room for the newest label at its right end. */
  xTicks: { x: number; label: string }[];
  /** Each in its own dash pattern and its tone's colour; named in the legend (no overprinting). */
  references: ChartReference[];
}

export interface ChartReference {
  y: number;
  label: string;
  tone: Tone;
  pattern: RefPattern;
  /** SVG `stroke-dasharray` of the pattern. */
  dash: string;
}

/** Dash patterns for reference lines, in the order a chart's lines get them: no two look alike
 * even without colour (and none is solid like the series). */
export const REF_PATTERNS = {
  dashed: '8 4',
  dotted: '2 4',
  'dash-dot': '10 4 2 4',
  'long-dashed': '16 6',
} as const;
export type RefPattern = keyof typeof REF_PATTERNS;
const PATTERN_ORDER = Object.keys(REF_PATTERNS) as RefPattern[];

/** The legend's words for a reference line: its label and how it is drawn. */
export function referenceLegend(r: Pick<ChartReference, 'label' | 'pattern'>): string {
  return `${r.label} (${r.pattern} line)`;
}

/**
 * X-axis labels that name each point once: a label that repeats (two runs of one week) is replaced
 * by the point's fallback (its run id) wherever it repeats.
 */
export function distinctLabels(points: readonly { label: string; fallback: string }[]): string[] {
  const count = new Map<string, number>();
  for (const p of points) count.set(p.label, (count.get(p.label) ?? 0) + 1);
  return points.map((p) => ((count.get(p.label) ?? 0) > 1 ? p.fallback : p.label));
}

function niceStep(range: number, ticks: number): number {
  const raw = range / Math.max(1, ticks);
  const pow = 10 ** Math.floor(Math.log10(raw));
  const m = raw / pow;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * pow;
}

export function chartGeometry(chart: ChartBlock, width = 560, height = 200): ChartGeometry {
  const labels = chart.series[0]?.points.map((p) => p.x) ?? [];
  // 11 px axis text: about 7 px a character. The newest label is always shown, centred on the last
  // point: the plot ends early enough for it to fit.
  const halfWidth = (label: string) => (label.length * 7) / 2;
  const rightRoom = Math.max(36, Math.ceil(halfWidth(labels.at(-1) ?? '')) + 4);
  const plot = { left: 52, top: 12, right: width - rightRoom, bottom: height - 30 };
  const values = chart.series.flatMap((s) => s.points.map((p) => p.y)).filter((v): v is number => v !== null);
  const refs = chart.references ?? [];
  const all = [...values, ...refs.map((r) => r.y)];
  let lo = all.length ? Math.min(...all) : 0;
  let hi = all.length ? Math.max(...all) : 1;
  if (hi - lo < 1e-9) {
    const pad = Math.abs(hi) * 0.05 || 1;
    lo -= pad;
    hi += pad;
  }
  const step = niceStep(hi - lo, 4);
  lo = Math.floor(lo / step) * step;
  hi = Math.ceil(hi / step) * step;
  const n = Math.max(...chart.series.map((s) => s.points.length), 1);
  const xAt = (i: number) =>
    n === 1 ? (plot.left + plot.right) / 2 : plot.left + ((plot.right - plot.left) * i) / (n - 1);
  const yAt = (v: number) => plot.bottom - ((v - lo) / (hi - lo)) * (plot.bottom - plot.top);
  const r = (v: number) => Math.round(v * 10) / 10;

  const series = chart.series.map((s) => {
    let path = '';
    let pen = false;
    const points: ChartGeometry['series'][number]['points'] = [];
    s.points.forEach((p, i) => {
      if (p.y === null) {
        pen = false;
        return;
      }
      const cx = r(xAt(i));
      const cy = r(yAt(p.y));
      path += `${pen ? 'L' : 'M'}${cx} ${cy} `;
      pen = true;
      points.push({ cx, cy, label: `${p.x}: ${fmtNumber(p.y)}${chart.unit ? ` ${chart.unit}` : ''}` });
    });
    return { name: s.name, path: path.trim(), points };
  });
  const yTicks: ChartGeometry['yTicks'] = [];
  for (let v = lo; v <= hi + step / 2; v += step) yTicks.push({ y: r(yAt(v)), label: fmtNumber(v, 3) });
  // As many tick labels as fit side by side, at least 12 px apart.
  const longest = Math.max(1, ...labels.map((l) => l.length));
  const fit = Math.max(2, Math.floor((plot.right - plot.left) / (longest * 7 + 12)) + 1);
  const every = Math.max(1, Math.ceil(labels.length / Math.min(8, fit)));
  // Evenly spaced, counted back from the newest point (always labelled).
  const xTicks = labels
    .map((label, i) => ({ x: r(xAt(i)), label }))
    .filter((_, i) => (labels.length - 1 - i) % every === 0);
  return {
    width,
    height,
    plot,
    series,
    yTicks,
    xTicks,
    references: refs.map((ref, i) => {
      const pattern = PATTERN_ORDER[i % PATTERN_ORDER.length]!;
      return {
        y: r(yAt(ref.y)),
        label: ref.label,
        tone: ref.tone ?? 'neutral',
        pattern,
        dash: REF_PATTERNS[pattern],
      };
    }),
  };
}
