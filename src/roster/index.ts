// Public API of the roster engine (pure TypeScript: no vscode, no HTTP). The sandbox, the CLI and
// the language server import from here; names stay stable once published.

/** Forecast language: `parseForecast(text)` (never throws), CSV/JSON forms, day helpers, issue codes. */
export {
  type CharRange,
  canonicalDepot,
  canonicalTourLine,
  DAY_ABBREVIATIONS,
  DAY_NAMES,
  DRIVER_WORDS,
  type DuplicateTourLines,
  dayNumber,
  ENGLISH_DAY_ABBREVIATIONS,
  FORECAST_ISSUES,
  type ForecastIssue,
  type ForecastIssueCode,
  type ForecastIssueInfo,
  type ForecastLine,
  type ForecastTour,
  forecastInputHash,
  formatMinutes,
  type Interval,
  type JsonTour,
  type ParsedForecast,
  parseForecast,
  declaredWeek,
  isForecastCsv,
  parseForecastCsv,
  parseForecastInput,
  parseForecastJson,
  parseForecastLine,
  suggestDay,
  type Verdict,
} from './forecast';
/** Tour instances of an ISO week: `expandWeek(tours, '2026-W03')`, ISO week helpers. */
export {
  dayAbbreviation,
  expandWeek,
  isIsoWeek,
  isoWeekMonday,
  isoWeekOf,
  shiftIsoWeek,
  type TourInstance,
  type WeekTours,
} from './week';
/** The hard rules shared by solver and audits. */
export {
  DEFAULT_RULES,
  infeasibleAlone,
  isSplitDay,
  type RosterRules,
  toursConflict,
  toursOverlap,
} from './rules';
/** Deterministic solver: `solve(tours, {seed})` -> assignments, lower bound, output_hash. */
export {
  type Assignment,
  DEFAULT_SEED,
  type DriverPlan,
  type LowerBound,
  lowerBound,
  SOLVER_VERSION,
  type SolveErrorCode,
  type SolveOptions,
  type SolveResult,
  type SolverConfig,
  seededRandom,
  solve,
  type UncoveredTour,
} from './solver';
/** The seven audits on any plan, plus `readPlan` for plan files. */
export {
  AUDIT_NAMES,
  auditCoverage,
  auditFatigue,
  auditMaxHours,
  auditOverlap,
  auditReproducibility,
  auditRest,
  auditSpanRegular,
  auditSpanSplit,
  MAX_LISTED_VIOLATIONS,
  type Plan,
  type PlanAssignment,
  type PlanTour,
  type ReproducibilityInput,
  readPlan,
  runAudits,
} from './audits';
/** KPIs of a plan. */
export {
  changeoverGaps,
  changeoverHistogram,
  computeKpis,
  type RosterKpis,
} from './kpis';
/** The engine's own result types (the API schemas are checked against them). */
export type { AuditCheckStatus, AuditDetails, AuditResult, AuditViolation, PlanKpis } from './types';
/** Hashes: canonical JSON, config hash, output_hash. */
export {
  canonicalJson,
  configHash,
  type HashedAssignment,
  outputHash,
  sha256Hex,
  sortAssignments,
} from './hash';
/** Forecast -> run (solve + audits + KPIs) in one call. */
export {
  type FailedForecastLine,
  ForecastBlockedError,
  type ForecastGate,
  type ForecastRun,
  gateForecast,
  type SolveForecastOptions,
  solveForecast,
} from './pipeline';
/** Wien-sized forecast generator with bad-week variants. */
export {
  DEFAULT_DEPOTS,
  GENERATOR_VERSION,
  type ForecastVariant,
  type GeneratedForecast,
  type GenerateOptions,
  generateForecast,
} from './generate';
/** CLI pieces. */
export {
  auditPlan,
  type ForecastCheck,
  type ForecastCheckLine,
  forecastCheck,
  type SolveLocalBlocked,
  type SolveLocalSummary,
  solveLocal,
} from './cli-commands';
