// The procedures the extension offers, as the command palette and the procedures picker show them.
// Light and vscode-free: activation registers the commands from this list, and the definitions
// (flows, engine) load when a procedure first runs (definitions.ts, bundled into dist/procedures.js).

export interface ProcedureEntry {
  /** The command id. */
  id: string;
  /** The definition's title (= the command's title in package.json). */
  title: string;
  /** Whether the command's first argument may be a run (id, tree node, run object). */
  takesRun: boolean;
  /** One line for the procedures picker. */
  description: string;
}

export const PROCEDURES: readonly ProcedureEntry[] = [
  {
    id: 'solvereign.sp001.healthCheck',
    title: 'SP-001 Health Check',
    takesRun: false,
    description: 'API, readiness, status, last runs, incidents',
  },
  {
    id: 'solvereign.sp002.investigateRun',
    title: 'SP-002 Investigate Failed Run',
    takesRun: true,
    description: 'Symptoms, input diff, duplicates, re-solve, escalation',
  },
  {
    id: 'solvereign.sp003.publishRun',
    title: 'SP-003 Publish Run',
    takesRun: true,
    description: 'Checks, reason, publish',
  },
  {
    id: 'solvereign.sp003.lockRun',
    title: 'SP-003 Lock Run',
    takesRun: true,
    description: 'Checks, reason, lock',
  },
  {
    id: 'solvereign.sp004.driftCheck',
    title: 'SP-004 KPI Drift Check',
    takesRun: true,
    description: 'Drift check, approval, baseline',
  },
  {
    id: 'solvereign.sp005.fireDrill',
    title: 'SP-005 Fire Drill',
    takesRun: false,
    description: 'Timed disable/enable of publish and lock',
  },
  {
    id: 'solvereign.sp006.killSwitch',
    title: 'SP-006 Emergency Kill Switch',
    takesRun: false,
    description: 'Ops Lead / Platform Lead only',
  },
  {
    id: 'solvereign.sp006.recover',
    title: 'SP-006 Recover from Kill Switch',
    takesRun: false,
    description: 'Platform Lead, RCA required',
  },
  {
    id: 'solvereign.routine.dailyStatus',
    title: 'Daily Status',
    takesRun: false,
    description: 'SP-001 and the overnight runs',
  },
  {
    id: 'solvereign.routine.weeklyReport',
    title: 'Weekly Report',
    takesRun: false,
    description: 'Runs, drift, drills, incidents, SLA',
  },
];
