// The API's known values and how an unknown one is shown, without zod: the activation bundle (trees,
// status bar) needs these, and the schemas (with zod) load with the HTTP client.

export const RUN_STATUSES = ['PASS', 'WARN', 'FAIL', 'BLOCKED', 'PENDING', 'ERROR'] as const;
/** A status this client knows (filters and requests); answers carry `Lenient<RunStatus>`. */
export type RunStatus = (typeof RUN_STATUSES)[number];

export const DRIFT_STATUSES = ['OK', 'WARN', 'BLOCK'] as const;
export const AUDIT_STATUSES = ['PASS', 'FAIL', 'WARN'] as const;

/** Narrows a leniently read value to the known enum. */
export function isKnown<const T extends readonly string[]>(
  values: T,
  v: string | null | undefined,
): v is T[number] {
  return v !== null && v !== undefined && (values as readonly string[]).includes(v);
}

/** The value for display: known values as they are, others as "unknown: server sent 'X'". */
export function describeValue(values: readonly string[], v: string | null | undefined): string | undefined {
  if (v === null || v === undefined) return undefined;
  return values.includes(v) ? v : unknownLabel(v);
}

export function unknownLabel(v: string): string {
  return `unknown: server sent '${v}'`;
}
