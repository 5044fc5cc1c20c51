// The reason every mutation carries into the audit trail (publish, lock, kill switch, baseline):
// trimmed, then at least MIN_REASON_LENGTH characters. One rule for the sandbox, the CLI and the
// extension.

export const MIN_REASON_LENGTH = 10;

/** What is wrong with a reason, or undefined when it is acceptable. */
export function reasonProblem(reason: unknown): string | undefined {
  if (typeof reason !== 'string' || reason.trim() === '') return 'is required (it goes into the audit trail)';
  if (reason.trim().length < MIN_REASON_LENGTH)
    return `must be at least ${MIN_REASON_LENGTH} characters, not counting leading and trailing spaces`;
  return undefined;
}
