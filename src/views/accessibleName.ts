// What a screen reader reads for a tree row or the status bar item: the name first, then the
// status, then the counts and SLA state the row shows — in that order, never a tooltip or a path.
// vscode-free (the view models use it; their tests read the names).

/** Words for a row's level: the status a coloured icon shows, said in words. */
export const LEVEL_WORDS: Record<'ok' | 'warn' | 'error' | 'info', string | undefined> = {
  ok: 'OK',
  warn: 'warning',
  error: 'problem',
  info: undefined,
};

/**
 * Joins the parts of an accessible name. A row's ` · ` separators become commas (read as pauses),
 * an arrow is said as "escalates to", and empty parts drop out.
 */
export function accessibleName(...parts: (string | undefined | null | false)[]): string {
  return parts
    .flatMap((p) => (p ? p.split(' · ') : []))
    .map((p) => p.replace(/^\u2192\s*/, 'escalates to ').trim())
    .filter(Boolean)
    .join(', ');
}
