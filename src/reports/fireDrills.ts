// Fire-drill history (SP-005): each drill's toggle times against the 5 s target, verified states,
// result.
import type { FireDrill } from '../api/schemas';
import { FIRE_DRILL_TARGET_MS } from '../shared/runbook';
import { fmtMs, fmtTime, yesNo } from './format';
import type { Block, Cell, ReportDoc, Tone } from './model';

export interface FireDrillReportInput {
  drills?: FireDrill[];
  problem?: { title: string; text: string; tone: Tone };
  site?: string;
  generatedAt: string;
  source?: string;
  targetMs?: number;
}

function toggleCell(ms: number | null, target: number): Cell {
  if (ms === null) return { text: 'not measured', tone: 'fail', sort: Number.MAX_SAFE_INTEGER };
  const ok = ms <= target;
  return { text: `${fmtMs(ms)} ${ok ? '≤' : '>'} ${fmtMs(target)}`, tone: ok ? 'pass' : 'fail', sort: ms };
}

export function buildFireDrillReport(input: FireDrillReportInput): ReportDoc {
  const target = input.targetMs ?? FIRE_DRILL_TARGET_MS;
  const drills = [...(input.drills ?? [])].sort((a, b) => b.started_at.localeCompare(a.started_at));
  const blocks: Block[] = [];
  if (input.problem) blocks.push({ kind: 'notice', ...input.problem });
  const failed = drills.filter((d) => d.result !== 'PASS').length;
  const toggles = drills.flatMap((d) => [d.disable_ms, d.enable_ms]).filter((n): n is number => n !== null);
  const slowest = toggles.length ? Math.max(...toggles) : undefined;
  if (input.drills) {
    blocks.push({
      kind: 'facts',
      facts: [
        { label: 'Drills recorded', value: String(drills.length) },
        { label: 'Passed', value: String(drills.length - failed), tone: drills.length ? 'pass' : 'neutral' },
        { label: 'Failed', value: String(failed), tone: failed ? 'fail' : 'neutral' },
        { label: 'Last drill', value: drills[0] ? fmtTime(drills[0].started_at) : '—' },
        {
          label: 'Slowest toggle',
          value: slowest === undefined ? '—' : `${fmtMs(slowest)} (target ${fmtMs(target)})`,
          tone: slowest === undefined ? 'neutral' : slowest <= target ? 'pass' : 'fail',
        },
      ],
    });
    blocks.push({
      kind: 'table',
      id: 'drills',
      caption: `Fire drills, newest first — each toggle against the ${fmtMs(target)} target`,
      columns: [
        { label: 'Started', sortable: true },
        { label: 'Disable toggle', align: 'right', sortable: true },
        { label: 'Enable toggle', align: 'right', sortable: true },
        { label: 'Verified disabled', sortable: true },
        { label: 'Verified enabled', sortable: true },
        { label: 'Result', sortable: true },
        { label: 'By', sortable: true },
        { label: 'Notes' },
        { label: 'Drill', sortable: true },
      ],
      rows: drills.map((d) => ({
        cells: [
          { text: fmtTime(d.started_at), sort: d.started_at },
          toggleCell(d.disable_ms, target),
          toggleCell(d.enable_ms, target),
          { text: yesNo(d.verified_disabled), tone: d.verified_disabled ? 'pass' : 'fail' },
          { text: yesNo(d.verified_enabled), tone: d.verified_enabled ? 'pass' : 'fail' },
          { text: d.result, tone: d.result === 'PASS' ? 'pass' : 'fail' },
          { text: d.by ?? '—' },
          { text: d.notes ?? '' },
          { text: d.id, mono: true },
        ],
      })),
      empty: 'No fire drill recorded yet. SP-005 asks for one every Monday (SOLVEREIGN: Fire Drill).',
    });
  }
  const status =
    input.drills === undefined
      ? undefined
      : drills.length === 0
        ? { label: 'NONE', tone: 'warn' as const }
        : drills[0]!.result === 'PASS'
          ? { label: 'PASS', tone: 'pass' as const }
          : { label: 'FAIL', tone: 'fail' as const };
  return {
    kind: 'fireDrills',
    title: `Fire-drill history${input.site ? ` ${input.site}` : ''}`,
    subtitle: `SP-005 · target ${fmtMs(target)} per toggle · ${drills.length} drill(s)`,
    status,
    generatedAt: input.generatedAt,
    source: input.source,
    sections: [{ id: 'drills', title: 'Drills', blocks }],
  };
}
