// Titles of the runbook's support procedures (SUPPORT_RUNBOOK.md "Common Support Procedures"), for
// hovers and diagnostics that tell the engineer which procedure to follow.
import type { ProcedureId } from '../shared/runbook';

export const PROCEDURE_TITLES: Readonly<Record<ProcedureId, string>> = {
  'SP-001': 'Health Check',
  'SP-002': 'Failed Solver Run Investigation',
  'SP-003': 'Publish/Lock Issues',
  'SP-004': 'KPI Drift Alert',
  'SP-005': 'Fire Drill Execution',
  'SP-006': 'Emergency Kill Switch',
};
