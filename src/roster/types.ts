// The roster engine's own result types. The engine is pure domain code: it never imports the wire
// format (`src/api`); the API schemas are checked against these types instead, so a change of the
// wire format cannot ripple into the solver unnoticed.

export type AuditCheckStatus = 'PASS' | 'FAIL' | 'WARN';

/** One violation an audit found: names the driver, tours, day and forecast line when known. */
export interface AuditViolation {
  message: string;
  driver_id?: string;
  tour_ids?: string[];
  day?: string;
  /** 1-based line of the forecast the tour comes from, when known. */
  line?: number;
  /** Minutes between two tours of one driver (Overlap audit: too-short changeovers). */
  gap_minutes?: number;
}

export interface AuditDetails {
  message: string;
  violations: AuditViolation[];
}

/** The result of one of the seven audits. */
export interface AuditResult {
  check_name: string;
  status: AuditCheckStatus;
  violation_count: number;
  details: AuditDetails;
}

/** Run KPIs as the engine computes them; the API's RunKpis accepts them as they are. */
export interface PlanKpis {
  headcount: number;
  coverage_percent: number;
  /** Share of drivers with >= 40 h (CONTRACT.md's FTE ratio). */
  fte_ratio: number;
  /** Share of drivers below 40 h. */
  pt_ratio: number;
  runtime_seconds: number | null;
  max_weekly_hours: number;
  avg_weekly_hours: number;
  total_tours: number;
  lower_bound?: number;
  /** Average and shortest minutes between two consecutive tours of one driver on one day. */
  avg_changeover_minutes: number | null;
  min_changeover_minutes: number | null;
}
