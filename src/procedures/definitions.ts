// Each procedure command's definition (loaded with the engine on first use; see catalog.ts).
import { dailyStatus, weeklyReport } from './flows/routines';
import { sp001 } from './flows/sp001';
import { sp002 } from './flows/sp002';
import { sp003Lock, sp003Publish } from './flows/sp003';
import { sp004 } from './flows/sp004';
import { sp005 } from './flows/sp005';
import { sp006Kill, sp006Recover } from './flows/sp006';
import type { ProcedureDef } from './runner';

// biome-ignore lint/suspicious/noExplicitAny: each procedure has its own state type
export const DEFINITIONS: Readonly<Record<string, ProcedureDef<any>>> = {
  'solvereign.sp001.healthCheck': sp001,
  'solvereign.sp002.investigateRun': sp002,
  'solvereign.sp003.publishRun': sp003Publish,
  'solvereign.sp003.lockRun': sp003Lock,
  'solvereign.sp004.driftCheck': sp004,
  'solvereign.sp005.fireDrill': sp005,
  'solvereign.sp006.killSwitch': sp006Kill,
  'solvereign.sp006.recover': sp006Recover,
  'solvereign.routine.dailyStatus': dailyStatus,
  'solvereign.routine.weeklyReport': weeklyReport,
};
